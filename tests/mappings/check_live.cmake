# cmake -DFERRY_CHECK=… -DFERRY_CAT=… -DPLUGIN=… -DMAPPING=… -DWORK_DIR=… -P check_live.cmake
# ferry-check --live over 500 synthetic records (every 50th with a bad check digit): exit 1
# (findings), 500 read = 490 delivered + 10 rejected, all on id_number. --fail-on error and
# never let that known-dirty source pass with the same report, while an error (a dataset the
# source lacks) still fails --fail-on error. Then the same records through ferry-cat --mapping:
# 490 NDJSON lines and the same reconciliation on stderr.

# ferry-check --live over the 500 records with `mapping` and the extra arguments; the exit status
# must be `expected`; the JSON report is left in live_out.
function(check_live_status expected mapping)
    execute_process(
        COMMAND ${CMAKE_COMMAND} -E env --unset=FERRY_PSEUDONYM_KEY
            ${FERRY_CHECK} --live --no-progress --format json --plugin ${PLUGIN}
            --options "{\"count\": 500, \"dirty_every\": 50}" --sample 500 ${ARGN} ${mapping}
        RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT status EQUAL expected)
        message(FATAL_ERROR "ferry-check --live ${ARGN} exited ${status}, expected ${expected}\n"
            "${out}\n${err}")
    endif()
    set(live_out "${out}" PARENT_SCOPE)
endfunction()

check_live_status(1 ${MAPPING})
set(out "${live_out}")
string(JSON read GET "${out}" files 0 quality read)
string(JSON delivered GET "${out}" files 0 quality delivered)
string(JSON rejected GET "${out}" files 0 quality rejected)
string(JSON rule_field GET "${out}" files 0 quality rules 0 field)
string(JSON rule_count GET "${out}" files 0 quality rules 0 rejects)
math(EXPR sum "${delivered} + ${rejected}")
if(NOT read EQUAL 500 OR NOT delivered EQUAL 490 OR NOT rejected EQUAL 10 OR NOT sum EQUAL read
   OR NOT rule_field STREQUAL "id_number" OR NOT rule_count EQUAL 10)
    message(FATAL_ERROR "quality report does not reconcile: read ${read}, delivered ${delivered}, "
        "rejected ${rejected}, first rule ${rule_field} x${rule_count}\n${out}")
endif()

# --fail-on: which findings fail the run. The data-quality warnings (FC110) fail it by default.
check_live_status(1 ${MAPPING} --fail-on warning)
check_live_status(0 ${MAPPING} --fail-on error)
string(JSON rejected GET "${live_out}" files 0 quality rejected)
if(NOT rejected EQUAL 10 OR NOT live_out MATCHES "\"code\": \"FC110\"")
    message(FATAL_ERROR "--fail-on error changed the report:\n${live_out}")
endif()
check_live_status(0 ${MAPPING} --fail-on never)
check_live_status(2 ${MAPPING} --fail-on sometimes)
# An error still fails --fail-on error, and only --fail-on never lets it pass.
file(READ ${MAPPING} text)
get_filename_component(mapping_dir ${MAPPING} DIRECTORY)
string(REPLACE "\"catalog\": \"../../schemas\"" "\"catalog\": \"${mapping_dir}/../../schemas\""
    text "${text}")
string(REPLACE "\"dataset\": \"persons\"" "\"dataset\": \"personz\"" text "${text}")
file(WRITE ${WORK_DIR}/unknown_dataset.mapping.json "${text}")
check_live_status(1 ${WORK_DIR}/unknown_dataset.mapping.json --fail-on error)
if(NOT live_out MATCHES "FC102")
    message(FATAL_ERROR "expected FC102 for a dataset the source lacks:\n${live_out}")
endif()
check_live_status(0 ${WORK_DIR}/unknown_dataset.mapping.json --fail-on never)

execute_process(
    COMMAND ${CMAKE_COMMAND} -E env FERRY_PSEUDONYM_KEY=test-only-key
        ${FERRY_CAT} --plugin ${PLUGIN} --options "{\"count\": 500, \"dirty_every\": 50}"
        --mapping ${MAPPING} --threads 2
    RESULT_VARIABLE status OUTPUT_VARIABLE records ERROR_VARIABLE summary)
# 3: complete with rejects (every record accounted for, some rejected).
if(NOT status EQUAL 3)
    message(FATAL_ERROR "ferry-cat --mapping exited ${status}\n${summary}")
endif()
string(REGEX MATCHALL "\n" lines "${records}")
list(LENGTH lines count)
if(NOT count EQUAL 490 OR NOT summary MATCHES "read 500, delivered 490, rejected 10")
    message(FATAL_ERROR "ferry-cat --mapping: ${count} records\n${summary}")
endif()
message(STATUS "live: 500 read = 490 delivered + 10 rejected (ferry-check and ferry-cat agree)")
