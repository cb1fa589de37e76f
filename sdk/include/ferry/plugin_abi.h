/* SPDX-License-Identifier: Apache-2.0 */
/* ferry/plugin_abi.h — the stable C ABI between a Ferry host and its adapter plugins.
 *
 * Pure C99 (checked with -std=c99 -pedantic -Werror). A plugin is a shared object exporting one
 * symbol, FerryPluginInit; everything else travels through the structs below. The design follows
 * ADBC (versioned init, error struct with its own release), the Arrow C Data and Stream
 * interfaces (release callbacks, moves, end of stream), SQLite's append-only API table and
 * DuckDB's explicit ABI versions. docs/plugin-abi.md is the long form of this contract.
 *
 * THE CONTRACT
 *  1. Versioning. The host calls FerryPluginInit with the newest ABI version it speaks. A plugin
 *     that cannot fill that version returns FERRY_E_NOT_IMPLEMENTED and writes the newest version
 *     it does speak into out->abi_version; the host then retries with older versions it knows.
 *     FerryPluginApi, FerryHostApi, FerryBatch and FerryStream only ever grow at the end; each
 *     field says "since".
 *     A reader uses a field only if it lies within both the writer's struct_size and its own
 *     sizeof; anything beyond counts as NULL.
 *  2. Ownership. Whoever receives a struct that has a `release` member owns it and calls release
 *     exactly once; release sets `release` to NULL (a released struct has release == NULL).
 *     To move a struct: copy it, then set the source's release to NULL. Nothing is free()d
 *     across the boundary and no allocator is shared.
 *  3. Borrowed inputs. String arguments (options_json, dataset, request_json) are valid only for
 *     the duration of the call; the plugin copies what it keeps. `name`, `version`,
 *     `description` and `options_schema` live until the plugin API is released.
 *  4. Lifetimes nest: plugin API > sources > streams. Everything a stream returned (schemas,
 *     batches) may outlive the stream and its source, but not the plugin API (the code that
 *     releases them lives in the plugin).
 *  5. Errors. Every call that can fail returns a FerryStatus and takes a `struct FerryError*`
 *     that the caller zero-initialises. The callee writes it only on failure; the caller then
 *     releases it once (if its release is not NULL). It stays valid until released, never
 *     "until the next call". A per-record problem is not an error: it is a FerryReject in the
 *     batch, so delivered + rejected = read for every batch. Only FERRY_E_UNAVAILABLE invites a
 *     retry.
 *  6. No exception and no longjmp ever crosses this boundary.
 *  7. Threads. Source create/destroy, discover and open_stream may be called concurrently from
 *     several threads. A stream is used by one thread at a time; `cancel` is the only call that
 *     may come from another thread, at any time before the stream's release.
 *  8. Metadata is data, not ABI: discover returns JSON (schemas/discovery.schema.json) and
 *     options_schema is a JSON Schema (draft-07) the host validates options against before
 *     source_create. New metadata needs no ABI change.
 *     The host zero-initialises every struct it hands out to be filled (FerryBatch, FerryStream,
 *     FerryText, FerryPluginApi), so a field a plugin of an older minor version never writes
 *     reads as 0 / NULL. A plugin never writes past the struct of the version it negotiated.
 *  9. Batches use the Arrow C Data layout (ferry/arrow_c_data.h), as a struct array with one
 *     child per field, in the formats listed in that header.
 * 10. Loading. The host dlopen()s with RTLD_NOW | RTLD_LOCAL and looks up FerryPluginInit only.
 *     A plugin exports nothing else (statically linked builds export FerryPlugin<Name>Init
 *     instead) and links nothing of the host: host services come through FerryHostApi. */
#ifndef FERRY_PLUGIN_ABI_H
#define FERRY_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "ferry/arrow_c_data.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Versions are major * 1000000 + minor * 1000 (ADBC's encoding). A minor version only appends. */
#define FERRY_ABI_VERSION_1_0 1000000u
#define FERRY_ABI_VERSION_1_1                                                                      \
    1001000u /* source accounting, skipped records, progress, partitions */
#define FERRY_ABI_VERSION_1_2 1002000u          /* absent fields */
#define FERRY_ABI_VERSION FERRY_ABI_VERSION_1_2 /* the newest version this header describes */
#define FERRY_ABI_VERSION_MAJOR(v) ((v) / 1000000u)
#define FERRY_ABI_VERSION_MINOR(v) (((v) / 1000u) % 1000u)

/* The name of the one symbol a plugin shared object exports. */
#define FERRY_PLUGIN_INIT_SYMBOL "FerryPluginInit"

typedef int32_t FerryStatus;
#define FERRY_OK 0
#define FERRY_E_INVALID_ARGUMENT 1 /* bad option, dataset or request */
#define FERRY_E_NOT_IMPLEMENTED 2  /* includes "ABI version not supported" */
#define FERRY_E_NOT_FOUND 3        /* unknown dataset, table, file or key */
#define FERRY_E_UNAVAILABLE 4      /* transient (connection lost, timeout): the host MAY retry */
#define FERRY_E_IO 5               /* permanent I/O failure */
#define FERRY_E_DATA 6             /* the source is unusable as a whole */
#define FERRY_E_UNAUTHORIZED 7     /* credentials refused */
#define FERRY_E_CANCELLED 8        /* the stream was cancelled */
#define FERRY_E_INTERNAL 9         /* plugin bug or caught C++ exception */

/* Levels for FerryHostApi.log. */
#define FERRY_LOG_ERROR 1
#define FERRY_LOG_WARN 2
#define FERRY_LOG_INFO 3
#define FERRY_LOG_DEBUG 4

/* An error, filled by the callee on failure only. The caller zero-initialises it (C: `= {0}`,
 * C++: `FerryError e{};`) and calls release once if release is not NULL. Frozen for ABI 1.x. */
struct FerryError {
    char* message;       /* what went wrong, one line of UTF-8; never NULL once filled */
    char* location;      /* where: "people.dat:1234", "SQLExecDirect", a URL; or NULL */
    char* field;         /* the field or column concerned, or NULL */
    int64_t record_no;   /* 1-based source record number, or -1 */
    char sqlstate[6];    /* ODBC SQLSTATE + NUL, or "" */
    int32_t native_code; /* driver, HTTP or errno code, or 0 */
    void (*release)(struct FerryError*);
    void* private_data;
};

/* A block of UTF-8 text owned by its producer (for example the discovery JSON). */
struct FerryText {
    const char* data; /* NUL-terminated; `size` excludes the NUL */
    size_t size;
    void (*release)(struct FerryText*);
    void* private_data;
};

/* One source record that was read but not delivered, with the reason. Owned by its batch; the
 * pointers stay valid until the batch is released. Frozen for ABI 1.x: new per-reject data will
 * arrive as new arrays in FerryBatch, never by growing this element type. */
struct FerryReject {
    int64_t record_no;  /* 1-based source record number */
    const char* field;  /* the field that failed, or NULL for the whole record */
    const char* rule;   /* short machine name of the failed rule ("utf8", "ragged_row"), or NULL */
    const char* reason; /* one line for a human; never contains a sensitive value */
    const char* location; /* "people.dat:1234", "offset 5678", or NULL */
    const void* raw;      /* the original bytes (line, row, field) if not sensitive, or NULL */
    int64_t raw_size;     /* bytes at raw, or 0 */
    FerryStatus code;     /* FERRY_E_DATA unless more specific */
};

/* One batch of records. Invariants the host checks:
 *   data.length + n_rejects + records_skipped == records_read   (records_skipped: since 1.1);
 *   every value marked absent is null                           (absent: since 1.2). */
struct FerryBatch {
    /* A struct array ("+s") with one child per schema field; data.length delivered records.
     * May be moved out (then data.release is NULL and the batch's release skips it). */
    struct ArrowArray data;
    const int64_t* record_nos; /* data.length source record numbers (lineage), or NULL if 0 */
    const struct FerryReject* rejects; /* n_rejects entries, or NULL if 0 */
    int64_t n_rejects;
    int64_t records_read;   /* source records consumed to produce this batch */
    const char* checkpoint; /* JSON: where to resume after this batch (open_stream's "resume"),
                               or NULL if the stream cannot resume */
    void (*release)(struct FerryBatch*);
    void* private_data;

    /* since 1.1 — append below only. */
    /* Source records consumed that are neither delivered nor rejected because they hold no
     * record by the source's own rules (a blank line at the end of a file, a deleted row of a DBF
     * file, a filler record). Their reasons are counted in the stream's report. */
    int64_t records_skipped;

    /* since 1.2 — append below only. */
    /* Which delivered records lack a field altogether, as opposed to holding a null: the source
     * record has no such member (an optional XML element left out), where a null is one it
     * sends as empty of value (xsi:nil). NULL when no record of the batch lacks a field; else
     * data.n_children pointers, one per field: NULL when no record lacks that field, else a
     * bitmap of data.length bits in Arrow validity order (bit i of byte i / 8, least
     * significant first) where a set bit marks the record's value absent. An absent value is
     * also null in the field's array, so a host of 1.1 or older reads it as null. */
    const uint8_t* const* absent;
};

/* A stream of batches (the Arrow C Stream shape, with an explicit error out-parameter). */
struct FerryStream {
    /* Fills `out` (owned by the caller) with the struct schema of every batch. Repeatable. */
    FerryStatus (*get_schema)(struct FerryStream*, struct ArrowSchema* out, struct FerryError*);
    /* Fills `out` (owned by the caller) with the next batch. End of stream: FERRY_OK with
     * out->release == NULL; every later call returns the same. After an error the stream may
     * only be released. After cancel, it returns FERRY_E_CANCELLED (or the end) promptly. */
    FerryStatus (*get_next)(struct FerryStream*, struct FerryBatch* out, struct FerryError*);
    /* Asks the stream to stop; may be called from any thread, more than once. Never fails. */
    void (*cancel)(struct FerryStream*);
    void (*release)(struct FerryStream*);
    void* private_data;

    /* since 1.1 — append below only. NULL in streams of 1.0 plugins. */
    /* Fills `out` (owned by the caller) with the stream's report so far, a JSON object per
     * schemas/stream-report.schema.json: what the source declares it holds (record counts,
     * control sums, bytes), what the stream observed that the host cannot count itself, skipped
     * records by reason, and progress. Callable between get_next calls and after the end of the
     * stream; the host compares it with its own counts at the end (docs/plugin-abi.md,
     * "Source accounting"). */
    FerryStatus (*get_report)(struct FerryStream*, struct FerryText* out, struct FerryError*);
};

/* An opaque source: one configured connection to a legacy system. */
typedef struct FerrySourceImpl* FerrySource;

/* Services the host offers a plugin. Valid from init until the plugin API's release returns. */
struct FerryHostApi {
    uint32_t abi_version; /* the version the host asked for */
    uint32_t struct_size; /* sizeof(struct FerryHostApi) in the host's build */
    void* host_ctx;       /* pass back to every function below */
    /* since 1.0: thread-safe; `message` is borrowed for the call. May be NULL (no logging). */
    void (*log)(void* host_ctx, int32_t level, const char* message);
};

/* The plugin's function table, filled by FerryPluginInit into host-owned memory. */
struct FerryPluginApi {
    /* The fixed head: never moves, never changes. */
    uint32_t abi_version; /* the version actually filled (on NOT_IMPLEMENTED: newest supported) */
    uint32_t struct_size; /* bytes the plugin filled: through the last field of abi_version */
    void* private_data;
    /* Releases the plugin API; every source must already be destroyed. */
    void (*release)(struct FerryPluginApi*);

    /* since 1.0 — append below only; never reorder, retype or remove. */
    const char* name;           /* "odbc", "flatfile": [a-z0-9_]+, static storage */
    const char* version;        /* the plugin's own semantic version */
    const char* description;    /* one line for humans */
    const char* options_schema; /* JSON Schema (draft-07) of the source options */

    /* Creates a source from options already validated against options_schema. On success *out
     * is owned by the caller, who passes it to source_destroy exactly once. */
    FerryStatus (*source_create)(struct FerryPluginApi*,
                                 const char* options_json,
                                 FerrySource* out,
                                 struct FerryError*);
    /* Destroys a source; its streams must already be released. NULL is allowed and ignored. */
    void (*source_destroy)(FerrySource);
    /* Describes the datasets the source offers (JSON per schemas/discovery.schema.json) into
     * `out`, owned by the caller. */
    FerryStatus (*discover)(FerrySource, struct FerryText* out, struct FerryError*);
    /* Opens a stream over `dataset`. request_json is NULL or a JSON object; the keys every
     * adapter understands are documented in docs/plugin-abi.md ("resume", "lookup", "limit",
     * "batch_rows"); unknown keys are an INVALID_ARGUMENT error. On success `out` is owned by
     * the caller. */
    FerryStatus (*open_stream)(FerrySource,
                               const char* dataset,
                               const char* request_json,
                               struct FerryStream* out,
                               struct FerryError*);

    /* since 1.1 */
    /* Lists the independent pieces of `dataset` (key ranges, byte ranges, date windows) that
     * can be read at once, on several threads or machines, into `out` owned by the caller:
     * {"partitions": [{"id": "...", "request": {...}, "description": "..."}]}. Each piece is
     * read by open_stream with its "request" merged into the caller's request; together the
     * pieces hold every record of the dataset exactly once. A dataset that cannot be split has
     * one piece with an empty request. request_json as for open_stream, or NULL. */
    FerryStatus (*list_partitions)(FerrySource,
                                   const char* dataset,
                                   const char* request_json,
                                   struct FerryText* out,
                                   struct FerryError*);
};

/* The exported entry point, looked up under FERRY_PLUGIN_INIT_SYMBOL. `host` is borrowed until
 * out->release returns. `out` and `error` are zero-initialised by the host. On FERRY_OK the
 * plugin filled `out` for exactly `abi_version`. */
typedef FerryStatus (*FerryPluginInitFunc)(uint32_t abi_version,
                                           const struct FerryHostApi* host,
                                           struct FerryPluginApi* out,
                                           struct FerryError* error);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_PLUGIN_ABI_H */
