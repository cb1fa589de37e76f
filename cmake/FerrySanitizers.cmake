# FERRY_SANITIZE=ON builds every target (host and plugins alike, so their runtimes agree) with
# ASan + UBSan, stopping at the first report.
if(FERRY_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
    add_compile_definitions(FERRY_SANITIZE=1)
endif()
