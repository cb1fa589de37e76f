/* SPDX-License-Identifier: Apache-2.0 */
/* abi_c99_check.c — plugin_abi.h must compile as strict C99 (-std=c99 -pedantic -Werror). */
#include "ferry/plugin_abi.h"

int ferry_abi_c99_check(void);

int ferry_abi_c99_check(void) {
    struct FerryError error = {0};
    struct FerryBatch batch;
    batch.n_rejects = 0;
    return (int)error.record_no + (int)batch.n_rejects + (int)sizeof(struct FerryPluginApi) * 0;
}
