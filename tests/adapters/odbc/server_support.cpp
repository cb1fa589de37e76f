// SPDX-License-Identifier: Apache-2.0
// server_support.cpp — see server_support.h.
#include "server_support.h"

#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>

#include "odbc_handles.h"

namespace ferry::odbc::test {

std::map<std::string, std::string> server_state(const char* server) {
    const char* dir = std::getenv("FERRY_ODBC_SERVERS_DIR");
    INFO("FERRY_ODBC_SERVERS_DIR names the fixtures' state folder (set by ctest)");
    REQUIRE(dir != nullptr);
    const std::string path = std::string(dir) + "/" + server + ".state";
    std::ifstream in(path);
    INFO("state file " << path);
    REQUIRE(in.good());
    std::map<std::string, std::string> state;
    std::string line;
    while (std::getline(in, line)) {
        const auto eq = line.find('=');
        if (eq != std::string::npos) {
            state[line.substr(0, eq)] = line.substr(eq + 1);
        }
    }
    return state;
}

nlohmann::json postgres_options() {
    const auto state = server_state("postgres");
    return {{"connection", "Driver=PostgreSQL Unicode;Server=127.0.0.1;Port=" + state.at("PORT") +
                               ";Database=ferry;UseDeclareFetch=1;Fetch=10000"},
            {"user", "postgres"},
            {"login_timeout_s", 10}};
}

nlohmann::json mariadb_options(const std::string& extra) {
    const auto state = server_state("mariadb");
    ::setenv("FERRY_ODBC_TEST_MARIADB_PASSWORD", state.at("PASSWORD").c_str(), 1);
    std::string connection =
        "Driver=MariaDB Unicode;Server=127.0.0.1;Port=" + state.at("PORT") + ";Database=ferry";
    if (!extra.empty()) {
        connection += ";" + extra;
    }
    return {{"connection", connection},
            {"user", "ferry"},
            {"password", {{"env", "FERRY_ODBC_TEST_MARIADB_PASSWORD"}}},
            {"login_timeout_s", 10}};
}

std::string connection_string_of(const nlohmann::json& options) {
    std::string out = options.at("connection").get<std::string>();
    if (options.contains("user")) {
        out += ";UID=" + options["user"].get<std::string>();
    }
    if (options.contains("password")) {
        const std::string name = options["password"]["env"].get<std::string>();
        out += ";PWD=" + std::string(std::getenv(name.c_str()));
    }
    return out;
}

void execute_sql(const std::string& connection_string, const std::vector<std::string>& statements) {
    auto env = Environment::create();
    REQUIRE(env.ok());
    auto conn = Connection::open(*env, connection_string, Timeouts{}, false);
    INFO(conn.status().to_string());
    REQUIRE(conn.ok());
    for (const std::string& sql : statements) {
        auto stmt = Statement::allocate(*conn);
        REQUIRE(stmt.ok());
        auto wide = to_sqlwchar(sql);
        const SQLRETURN rc =
            SQLExecDirectW(stmt->handle(), wide.data(), static_cast<SQLINTEGER>(wide.size()));
        if (rc != SQL_NO_DATA) {
            const Status status = stmt->check(rc, "SQLExecDirect");
            INFO(sql << "\n" << status.to_string());
            REQUIRE(status.ok());
        }
    }
}

} // namespace ferry::odbc::test
