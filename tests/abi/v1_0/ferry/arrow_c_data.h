/* SPDX-License-Identifier: Apache-2.0 */
/* ferry/arrow_c_data.h — ArrowSchema and ArrowArray as the Arrow C Data Interface specifies them.
 *
 * Written from the specification (arrow.apache.org/docs/format/CDataInterface.html), with its
 * canonical include guard, so that a translation unit that also sees Arrow's, nanoarrow's or
 * DuckDB's copy compiles: the definitions are identical by specification. Pure C99.
 *
 * Ferry uses the subset of formats listed in docs/plugin-abi.md: "b" bool, "l" int64,
 * "d:P,S" decimal128, "tdD" date32, "tsu:" / "tsu:UTC" timestamp[us], "u" utf8, "z" binary,
 * "+s" struct. */
#ifndef FERRY_ARROW_C_DATA_H
#define FERRY_ARROW_C_DATA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ARROW_C_DATA_INTERFACE
#    define ARROW_C_DATA_INTERFACE

#    define ARROW_FLAG_DICTIONARY_ORDERED 1
#    define ARROW_FLAG_NULLABLE 2
#    define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
    /* Array type description */
    const char* format;
    const char* name;
    const char* metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema** children;
    struct ArrowSchema* dictionary;

    /* Release callback */
    void (*release)(struct ArrowSchema*);
    /* Opaque producer-specific data */
    void* private_data;
};

struct ArrowArray {
    /* Array data description */
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void** buffers;
    struct ArrowArray** children;
    struct ArrowArray* dictionary;

    /* Release callback */
    void (*release)(struct ArrowArray*);
    /* Opaque producer-specific data */
    void* private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

#ifdef __cplusplus
}
#endif

#endif /* FERRY_ARROW_C_DATA_H */
