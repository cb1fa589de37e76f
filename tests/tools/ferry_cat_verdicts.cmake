# SPDX-License-Identifier: Apache-2.0
# ferry-cat as documented in docs/ferry-cat.md: each exit code, the verdict on stderr, --output
# written only for a complete read (never a partial file), --state resuming where it stopped, and
# the mapping's own source block standing in for --options.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# cat(<expected exit code> <stderr regex> args…): runs ferry-cat, checks both, keeps stdout in
# `cat_out` and stderr in `cat_err`.
function(cat expected pattern)
    execute_process(
        COMMAND ${CMAKE_COMMAND} -E env FERRY_PSEUDONYM_KEY=test-only-key ${FERRY_CAT} ${ARGN}
        RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT code EQUAL expected OR NOT err MATCHES "${pattern}")
        message(FATAL_ERROR "ferry-cat ${ARGN}\nexited ${code} (expected ${expected}); stderr "
                            "should match \"${pattern}\":\n${err}")
    endif()
    set(cat_out "${out}" PARENT_SCOPE)
    set(cat_err "${err}" PARENT_SCOPE)
endfunction()

function(line_count text out)
    string(REGEX MATCHALL "\n" lines "${text}")
    list(LENGTH lines count)
    set(${out} ${count} PARENT_SCOPE)
endfunction()

# 0: complete and reconciled.
cat(0 "read 20, delivered 20, rejected 0, skipped 0\nferry-cat: reconciled: the register's header counts 20 records and 20 were read"
    --plugin ${PLUGIN} --options "{\"count\": 20}")
# 3: complete with rejects; skipped records are counted by reason.
cat(3 "read 20, delivered 13, rejected 3, skipped 4\nferry-cat: reconciled: .*[(]skipped: vacant_slot 4[)]"
    --plugin ${PLUGIN} --options "{\"count\": 20, \"dirty_every\": 6, \"vacant_every\": 5}")
# 4: the source declares more than was read; with --output nothing is written.
cat(4 "unreconciled: the register's header counts 21 records, 20 were read"
    --plugin ${PLUGIN} --options "{\"count\": 20, \"declared_count\": 21}"
    --output ${WORK_DIR}/short.ndjson)
file(GLOB left "${WORK_DIR}/short.ndjson*")
if(left)
    message(FATAL_ERROR "an unreconciled read left files behind: ${left}")
endif()
# 2: usage; 1: the read failed (an option the schema refuses, with a hint).
cat(2 "unknown argument \"--frobnicate\"" --plugin ${PLUGIN} --frobnicate)
cat(1 "did you mean \"count\"" --plugin ${PLUGIN} --options "{\"cuont\": 5}")
# --require-reconciled: a source that declares nothing for this read fails like a mismatch.
cat(0 "unverified: not checked: the request's limit ended the stream"
    --plugin ${PLUGIN} --options "{\"count\": 20}" --request "{\"limit\": 5}")
cat(4 "unverified" --plugin ${PLUGIN} --options "{\"count\": 20}" --request "{\"limit\": 5}"
    --require-reconciled)

# --output: the file appears whole; --state: the next run resumes after the last checkpoint.
cat(0 "reconciled" --plugin ${PLUGIN} --options "{\"count\": 30}" --request "{\"batch_rows\": 7}"
    --output ${WORK_DIR}/persons.ndjson --state ${WORK_DIR}/persons.state)
file(READ ${WORK_DIR}/persons.ndjson written)
line_count("${written}" first_lines)
file(READ ${WORK_DIR}/persons.state state)
if(NOT first_lines EQUAL 30 OR NOT state MATCHES "\"next_record\": 31")
    message(FATAL_ERROR "--output wrote ${first_lines} lines, state: ${state}")
endif()
cat(0 "read 5, delivered 5.*30 records before the resume point"
    --plugin ${PLUGIN} --options "{\"count\": 35}" --state ${WORK_DIR}/persons.state)
line_count("${cat_out}" resumed_lines)
if(NOT resumed_lines EQUAL 5 OR NOT cat_out MATCHES "P00000031")
    message(FATAL_ERROR "the resumed read delivered ${resumed_lines} lines:\n${cat_out}")
endif()

# The mapping's source block (adapter options) is used when --options is not given; a mapping
# reject of a sensitive key names no key.
cat(3 "mapped by sample.synthetic_persons.person: read 1000, delivered 990, rejected 10, skipped 0\nferry-cat: reconciled"
    --plugin ${PLUGIN} --mapping ${MAPPING})
if(cat_err MATCHES "key person_id=")
    message(FATAL_ERROR "a reject printed a sensitive key:\n${cat_err}")
endif()
message(STATUS "ferry-cat: exit codes 0/1/2/3/4, atomic --output, --state resume, mapping source")
