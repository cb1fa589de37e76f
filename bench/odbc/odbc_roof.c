/* SPDX-License-Identifier: Apache-2.0 */
/* odbc_roof.c — the roof for the ODBC benchmark: only column-wise bound array fetches of a whole
 * table, no conversion. Text columns are bound as SQL_C_WCHAR with "wide" (as the adapter reads
 * PostgreSQL) or SQL_C_CHAR, everything else as SQL_C_CHAR text, as the adapter binds them.
 * usage: odbc_roof CONNECTION_STRING "SELECT …" wide|narrow [rowset_bytes] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sql.h>
#include <sqlext.h>

#define MAX_COLUMNS 64

static void fail(SQLSMALLINT type, SQLHANDLE handle, const char* what) {
    SQLCHAR state[6] = {0}, text[512] = {0};
    SQLINTEGER native = 0;
    SQLSMALLINT len = 0;
    SQLGetDiagRec(type, handle, 1, state, &native, text, sizeof text, &len);
    fprintf(stderr, "odbc_roof: %s failed: [%s] %s\n", what, state, text);
    exit(1);
}

int main(int argc, char** argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: odbc_roof CONNECTION SELECT wide|narrow [rowset_bytes]\n");
        return 2;
    }
    const int wide = strcmp(argv[3], "wide") == 0;
    const size_t rowset_bytes = argc > 4 ? (size_t)atol(argv[4]) : (size_t)4 << 20;
    SQLHENV env;
    SQLHDBC dbc;
    SQLHSTMT stmt;
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
    SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
    SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
    if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR*)argv[1], SQL_NTS, NULL, 0, NULL,
                                        SQL_DRIVER_NOPROMPT)))
        fail(SQL_HANDLE_DBC, dbc, "SQLDriverConnect");
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt);
    if (!SQL_SUCCEEDED(SQLPrepare(stmt, (SQLCHAR*)argv[2], SQL_NTS)))
        fail(SQL_HANDLE_STMT, stmt, "SQLPrepare");
    SQLSMALLINT columns = 0;
    SQLNumResultCols(stmt, &columns);
    if (columns > MAX_COLUMNS)
        columns = MAX_COLUMNS;
    SQLSMALLINT c_types[MAX_COLUMNS];
    SQLLEN widths[MAX_COLUMNS];
    size_t row_bytes = 0;
    for (SQLSMALLINT col = 0; col < columns; ++col) {
        SQLCHAR name[128];
        SQLSMALLINT name_len, type, digits, nullable;
        SQLULEN size;
        SQLDescribeCol(stmt, (SQLUSMALLINT)(col + 1), name, sizeof name, &name_len, &type, &size,
                       &digits, &nullable);
        const int text =
            type == SQL_CHAR || type == SQL_VARCHAR || type == SQL_WCHAR || type == SQL_WVARCHAR;
        if (text) {
            const SQLLEN chars = size > 16 && size < 4000 ? (SQLLEN)size : 16;
            c_types[col] = wide ? SQL_C_WCHAR : SQL_C_CHAR;
            widths[col] = wide ? (chars + 1) * 2 : chars * 4 + 1;
        } else {
            c_types[col] = SQL_C_CHAR;
            widths[col] = 49;
        }
        row_bytes += (size_t)widths[col] + sizeof(SQLLEN);
    }
    size_t rows = rowset_bytes / row_bytes;
    if (rows < 1)
        rows = 1;
    if (rows > 16384)
        rows = 16384;
    SQLSetStmtAttr(stmt, SQL_ATTR_ROW_BIND_TYPE, (SQLPOINTER)SQL_BIND_BY_COLUMN, 0);
    SQLSetStmtAttr(stmt, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)rows, 0);
    SQLULEN fetched = 0;
    SQLSetStmtAttr(stmt, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
    for (SQLSMALLINT col = 0; col < columns; ++col) {
        void* data = malloc(rows * (size_t)widths[col]);
        SQLLEN* ind = malloc(rows * sizeof(SQLLEN));
        SQLBindCol(stmt, (SQLUSMALLINT)(col + 1), c_types[col], data, widths[col], ind);
    }
    if (!SQL_SUCCEEDED(SQLExecute(stmt)))
        fail(SQL_HANDLE_STMT, stmt, "SQLExecute");
    long long total = 0;
    for (;;) {
        const SQLRETURN rc = SQLFetch(stmt);
        if (rc == SQL_NO_DATA)
            break;
        if (!SQL_SUCCEEDED(rc))
            fail(SQL_HANDLE_STMT, stmt, "SQLFetch");
        total += (long long)fetched;
    }
    printf("%lld\n", total);
    return 0;
}
