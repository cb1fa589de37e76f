# cmake -DFERRY_CHECK=… -DFERRY_CAT=… -DPLUGIN=… -DMAPPING=… -P check_live.cmake
# ferry-check --live over 500 synthetic records (every 50th with a bad check digit): exit 1
# (findings), 500 read = 490 delivered + 10 rejected, all on id_number. Then the same records
# through ferry-cat --mapping: 490 NDJSON lines and the same reconciliation on stderr.
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env --unset=FERRY_PSEUDONYM_KEY
        ${FERRY_CHECK} --live --no-progress --format json --plugin ${PLUGIN}
        --options "{\"count\": 500, \"dirty_every\": 50}" --sample 500 ${MAPPING}
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 1)
    message(FATAL_ERROR "ferry-check --live exited ${status}, expected 1\n${out}\n${err}")
endif()
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
