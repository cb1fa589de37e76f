# ferry_set_warnings(target): Ferry's warning set, as errors, on Ferry's own code only.
# Imported targets (Poco, libxml2, unixODBC) stay SYSTEM and are not affected.
function(ferry_set_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wcast-align -Wformat=2
        -Wimplicit-fallthrough -Wnull-dereference
        $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Woverloaded-virtual>
        $<$<BOOL:${FERRY_WERROR}>:-Werror>
        # GCC's flow warnings misfire inside libstdc++ under sanitizer instrumentation; the
        # release build keeps them.
        $<$<BOOL:${FERRY_SANITIZE}>:-Wno-maybe-uninitialized -Wno-null-dereference>)
endfunction()
