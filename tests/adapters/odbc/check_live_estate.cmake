# cmake -DFERRY_CHECK=… -DFERRY_CAT=… -DPLUGIN=… -DOPTIONS_FILE=… -DMAPPING=… -P check_live_estate.cmake
# ferry-check --live over the whole AC08 table of the sample estate: 2400 read = 2395 delivered
# + 5 rejected (3 by the adapter: an unreadable timestamp, text in an amount, an amount beyond
# NUMBER(14,2); 2 by the mapping: month 13, an insurance code without a canonical code). Then
# the same through ferry-cat --mapping: 2395 NDJSON lines and the same reconciliation; and in
# three key-range partitions read at once (ferry-cat --partitions 3): the same lines.
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env --unset=FERRY_PSEUDONYM_KEY
        ${FERRY_CHECK} --live --no-progress --format json --plugin ${PLUGIN}
        --options-file ${OPTIONS_FILE} --sample 2400 ${MAPPING}
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 1)
    message(FATAL_ERROR "ferry-check --live exited ${status}, expected 1 (warnings)\n${out}\n${err}")
endif()
string(JSON read GET "${out}" files 0 quality read)
string(JSON delivered GET "${out}" files 0 quality delivered)
string(JSON rejected GET "${out}" files 0 quality rejected)
string(JSON rules LENGTH "${out}" files 0 quality rules)
set(fields "")
math(EXPR last "${rules} - 1")
foreach(idx RANGE ${last})
    string(JSON field GET "${out}" files 0 quality rules ${idx} field)
    list(APPEND fields ${field})
endforeach()
list(SORT fields)
if(NOT read EQUAL 2400 OR NOT delivered EQUAL 2395 OR NOT rejected EQUAL 5
   OR NOT fields STREQUAL "AAE036;AAE082;AAE180;booking_period;insurance_type")
    message(FATAL_ERROR "quality report: read ${read}, delivered ${delivered}, rejected "
        "${rejected}, fields ${fields}\n${out}")
endif()

execute_process(
    COMMAND ${CMAKE_COMMAND} -E env FERRY_PSEUDONYM_KEY=test-only-key
        ${FERRY_CAT} --plugin ${PLUGIN} --options-file ${OPTIONS_FILE} --mapping ${MAPPING}
    RESULT_VARIABLE status OUTPUT_VARIABLE records ERROR_VARIABLE summary)
# 3: complete with rejects (every record accounted for, some rejected).
if(NOT status EQUAL 3)
    message(FATAL_ERROR "ferry-cat --mapping exited ${status}\n${summary}")
endif()
string(REGEX MATCHALL "\n" lines "${records}")
list(LENGTH lines count)
# A mapping reject names the record's key when the key is not sensitive (a contribution's id).
if(NOT count EQUAL 2395 OR NOT summary MATCHES "read 2400, delivered 2395, rejected 5"
   OR NOT summary MATCHES "record 909 [(][^)]*key contribution_id=2018050000001301[)]")
    message(FATAL_ERROR "ferry-cat --mapping: ${count} records\n${summary}")
endif()
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env FERRY_PSEUDONYM_KEY=test-only-key
        ${FERRY_CAT} --plugin ${PLUGIN} --options-file ${PARALLEL_OPTIONS_FILE}
        --mapping ${MAPPING} --partitions 3
    RESULT_VARIABLE status OUTPUT_VARIABLE parallel_records ERROR_VARIABLE parallel_summary)
if(NOT status EQUAL 3 OR NOT parallel_summary MATCHES
   "in 3 partitions: read 2400, delivered 2395, rejected 5")
    message(FATAL_ERROR "ferry-cat --partitions 3 exited ${status}\n${parallel_summary}")
endif()
string(REPLACE "\n" ";" single_lines "${records}")
string(REPLACE "\n" ";" parallel_lines "${parallel_records}")
list(SORT single_lines)
list(SORT parallel_lines)
if(NOT single_lines STREQUAL parallel_lines)
    message(FATAL_ERROR "ferry-cat --partitions 3 delivered other records than one stream")
endif()
message(STATUS "live: 2400 read = 2395 delivered + 5 rejected (ferry-check, ferry-cat and 3 partitions agree)")
