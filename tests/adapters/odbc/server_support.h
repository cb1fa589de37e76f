// SPDX-License-Identifier: Apache-2.0
// server_support.h — the servers the integration fixtures started, and SQL run on them directly.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ferry::odbc::test {

/// KEY=VALUE lines of $FERRY_ODBC_SERVERS_DIR/<server>.state, which the fixture scripts
/// (servers/*.sh) write; the test fails when it is missing.
std::map<std::string, std::string> server_state(const char* server);

/// Adapter options for the fixture's PostgreSQL (psqlODBC Unicode, bounded fetch).
nlohmann::json postgres_options();
/// Adapter options for the fixture's MariaDB; the password travels in an environment variable.
/// `extra` is appended to the connection string (e.g. "CHARSET=latin1").
nlohmann::json mariadb_options(const std::string& extra = {});

/// Runs each statement on its own writable connection (setup and concurrent writers only).
void execute_sql(const std::string& connection_string, const std::vector<std::string>& statements);

/// The connection string of options made by the functions above, with the password resolved.
std::string connection_string_of(const nlohmann::json& options);

} // namespace ferry::odbc::test
