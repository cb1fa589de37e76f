# SPDX-License-Identifier: Apache-2.0
# check_expected.cmake — runs ferry-check on one mapping file and compares its text output, byte
# for byte, with the .expected file next to it; the exit status must match too.
#
#   cmake -DFERRY_CHECK=<ferry-check> -DMAPPING=<name>.mapping.json -DEXPECTED=<file>
#         [-DCATALOG=<dir>] [-DEXPECTED_STATUS=1] -P check_expected.cmake
#
# Runs in the current directory (the test's WORKING_DIRECTORY), so paths in the output are the
# MAPPING argument as given. FERRY_PSEUDONYM_KEY and FERRY_CATALOG_DIR are unset for the run, so
# the caller's environment cannot change the output.
#
# To regenerate the .expected files after a deliberate change of the checker, run the tests with
# FERRY_UPDATE_EXPECTED=1 in the environment, then read every changed file before committing it.
cmake_minimum_required(VERSION 3.25)

foreach(required FERRY_CHECK MAPPING EXPECTED)
    if(NOT DEFINED ${required})
        message(FATAL_ERROR "check_expected.cmake: -D${required}=... is required")
    endif()
endforeach()
if(NOT DEFINED CATALOG)
    set(CATALOG "../../../schemas")
endif()
if(NOT DEFINED EXPECTED_STATUS)
    set(EXPECTED_STATUS 1)
endif()

execute_process(
    COMMAND "${CMAKE_COMMAND}" -E env --unset=FERRY_PSEUDONYM_KEY --unset=FERRY_CATALOG_DIR
            "${FERRY_CHECK}" --catalog "${CATALOG}" "${MAPPING}"
    RESULT_VARIABLE status
    OUTPUT_VARIABLE actual
    ERROR_VARIABLE errors)

if("$ENV{FERRY_UPDATE_EXPECTED}" STREQUAL "1")
    file(WRITE "${EXPECTED}" "${actual}")
    message(STATUS "rewrote ${EXPECTED}: read it before committing")
endif()

if(NOT EXISTS "${EXPECTED}")
    message(FATAL_ERROR "no expected output ${EXPECTED}; ferry-check printed:\n${actual}")
endif()
file(READ "${EXPECTED}" expected)

set(failed OFF)
if(NOT "${status}" STREQUAL "${EXPECTED_STATUS}")
    message(SEND_ERROR "ferry-check ${MAPPING}: exit status ${status}, expected ${EXPECTED_STATUS}")
    set(failed ON)
endif()
if(NOT "${errors}" STREQUAL "")
    message(SEND_ERROR "ferry-check ${MAPPING} wrote to stderr:\n${errors}")
    set(failed ON)
endif()

# Splits a text into a CMake list of its lines. Characters that lists treat specially (";" and
# the brackets that suppress splitting) are swapped for placeholders and put back on output.
function(text_to_lines text out)
    string(REPLACE "\\" "<ferry-bs>" text "${text}")
    string(REPLACE ";" "<ferry-semicolon>" text "${text}")
    string(REPLACE "[" "<ferry-open>" text "${text}")
    string(REPLACE "]" "<ferry-close>" text "${text}")
    string(REPLACE "\n" ";" lines "${text}")
    set(${out} "${lines}" PARENT_SCOPE)
endfunction()

function(line_text line out)
    string(REPLACE "<ferry-bs>" "\\" line "${line}")
    string(REPLACE "<ferry-semicolon>" ";" line "${line}")
    string(REPLACE "<ferry-open>" "[" line "${line}")
    string(REPLACE "<ferry-close>" "]" line "${line}")
    set(${out} "${line}" PARENT_SCOPE)
endfunction()

# One hunk in unified style: the common head and tail are context, the middle is "-" (expected)
# and "+" (actual) lines.
function(print_diff expected actual)
    text_to_lines("${expected}" old)
    text_to_lines("${actual}" new)
    list(LENGTH old old_count)
    list(LENGTH new new_count)
    set(head 0)
    while(head LESS old_count AND head LESS new_count)
        list(GET old ${head} a)
        list(GET new ${head} b)
        if(NOT "${a}" STREQUAL "${b}")
            break()
        endif()
        math(EXPR head "${head} + 1")
    endwhile()
    set(tail 0)
    while(1)
        math(EXPR old_at "${old_count} - 1 - ${tail}")
        math(EXPR new_at "${new_count} - 1 - ${tail}")
        if(old_at LESS head OR new_at LESS head)
            break()
        endif()
        list(GET old ${old_at} a)
        list(GET new ${new_at} b)
        if(NOT "${a}" STREQUAL "${b}")
            break()
        endif()
        math(EXPR tail "${tail} + 1")
    endwhile()
    math(EXPR old_end "${old_count} - ${tail}")
    math(EXPR new_end "${new_count} - ${tail}")
    math(EXPR old_len "${old_end} - ${head}")
    math(EXPR new_len "${new_end} - ${head}")
    math(EXPR start "${head} + 1")
    set(report "--- expected\n+++ actual\n@@ -${start},${old_len} +${start},${new_len} @@ (whole texts)\n")
    set(idx 0)
    while(idx LESS head)
        list(GET old ${idx} line)
        line_text("${line}" line)
        string(APPEND report " ${line}\n")
        math(EXPR idx "${idx} + 1")
    endwhile()
    set(idx ${head})
    while(idx LESS old_end)
        list(GET old ${idx} line)
        line_text("${line}" line)
        string(APPEND report "-${line}\n")
        math(EXPR idx "${idx} + 1")
    endwhile()
    set(idx ${head})
    while(idx LESS new_end)
        list(GET new ${idx} line)
        line_text("${line}" line)
        string(APPEND report "+${line}\n")
        math(EXPR idx "${idx} + 1")
    endwhile()
    set(idx ${old_end})
    while(idx LESS old_count)
        list(GET old ${idx} line)
        line_text("${line}" line)
        string(APPEND report " ${line}\n")
        math(EXPR idx "${idx} + 1")
    endwhile()
    message("${report}")
endfunction()

if(NOT "${actual}" STREQUAL "${expected}")
    message(SEND_ERROR "ferry-check ${MAPPING}: output differs from ${EXPECTED}")
    print_diff("${expected}" "${actual}")
    set(failed ON)
endif()

if(failed)
    message(FATAL_ERROR "mapping check failed: ${MAPPING}")
endif()
