# cmake -DFUZZER=<exe> -DCORPUS=<seeds> -DWORK=<scratch> -DSECONDS=<n> -DSEED=<n>
#       [-DOPTIONS=<flag,flag…>] -P FerryFuzzRun.cmake
# One bounded libFuzzer run, as the fuzz.<name> ctests make it (ferry_add_fuzzer): the seeds are
# read, new inputs go to <scratch>/corpus, crashes to <scratch>/artifacts. Fails on any finding.
foreach(var FUZZER CORPUS WORK SECONDS SEED)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "FerryFuzzRun.cmake: -D${var}=… is required")
    endif()
endforeach()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/artifacts")
string(REPLACE "," ";" options "${OPTIONS}")

# -timeout: no single input of these parsers should take seconds, even under ASan;
# -rss_limit_mb: a parser that balloons on a small input is a finding too.
execute_process(
    COMMAND "${FUZZER}" -max_total_time=${SECONDS} -seed=${SEED} -timeout=10 -rss_limit_mb=2048
        -print_final_stats=1 -artifact_prefix=${WORK}/artifacts/ ${options}
        "${WORK}/corpus" "${CORPUS}"
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE log
    ERROR_VARIABLE log)
file(WRITE "${WORK}/fuzz.log" "${log}")

file(GLOB findings "${WORK}/artifacts/*")
if(NOT rc EQUAL 0 OR findings)
    string(LENGTH "${log}" length)
    if(length GREATER 20000)
        math(EXPR from "${length} - 20000")
        string(SUBSTRING "${log}" ${from} -1 log)
        set(log "…\n${log}")
    endif()
    message("${log}")
    string(REPLACE ";" "\n  " listing "${findings}")
    message(FATAL_ERROR "${FUZZER} exited with ${rc}; findings:\n  ${listing}\n"
        "Reproduce with: ${FUZZER} <finding>")
endif()

# One line for `ctest -V` and the logs: how much fuzzing this run did.
set(summary "")
foreach(stat number_of_executed_units average_exec_per_sec new_units_added peak_rss_mb)
    if(log MATCHES "stat::${stat}: *([0-9]+)")
        string(APPEND summary " ${stat}=${CMAKE_MATCH_1}")
    endif()
endforeach()
message(STATUS "${FUZZER}:${summary}")
