// SPDX-License-Identifier: Apache-2.0
// bridge_test_support.cpp — fixtures shared by the bridge's unit tests.
#include "bridge_test_support.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "crypto.h"

namespace ferry::bridge::testing {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ferry-bridge-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code error;
    std::filesystem::remove_all(path_, error);
}

void write_file(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
}

std::filesystem::path source_dir() {
    return FERRY_TEST_SOURCE_DIR;
}

std::filesystem::path synthetic_plugin() {
    return FERRY_TEST_SYNTHETIC_PLUGIN;
}

nlohmann::json test_consumers() {
    using nlohmann::json;
    const auto grant = [](const char* purpose, const char* expires) {
        json g = json::object();
        g["dataset"] = "persons";
        if (purpose != nullptr) {
            g["purpose"] = purpose;
            g["expires"] = expires;
        }
        return g;
    };
    const auto consumer = [](const std::string& id, const json& one_grant) {
        json c = json::object();
        c["id"] = id;
        c["key_sha256"] = sha256_hex("key-" + id);
        c["grants"] = json::array({one_grant});
        return c;
    };
    json full = grant("benefit checks", "2099-12-31");
    full["clear"] = json::array({"name", "id_number", "person_id"});
    json ops = consumer("ops", grant("operations", "2099-12-31"));
    ops["role"] = "operator";
    json doc = json::object();
    doc["consumers"] = json::array(
        {consumer("full", full),
         consumer("masked", grant("contribution reconciliation", "2099-12-31T00:00:00Z")),
         consumer("open", grant(nullptr, nullptr)),
         consumer("expired", grant("an old study", "2020-01-01")), ops});
    return doc;
}

std::filesystem::path
write_synthetic_config(const std::filesystem::path& dir, int count, const nlohmann::json& extra) {
    using nlohmann::json;
    setenv("FERRY_PSEUDONYM_KEY", "bridge-test-pseudonym-key", 0);
    write_file(dir / "consumers.json", test_consumers().dump(2));
    json config = json::parse(R"({
        "listen": {"address": "127.0.0.1", "port": 0},
        "consumers_file": "consumers.json",
        "limits": {"batch_rows": 64, "mapping_threads": 1}
    })");
    config["catalog"]["dir"] = (source_dir() / "schemas").string();
    config["state_dir"] = (dir / "state").string();
    json& source = config["sources"]["synthetic"];
    source["plugin"] = synthetic_plugin().string();
    source["options"]["count"] = count;
    source["options"]["dirty_every"] = 25;
    json dataset = json::object();
    dataset["id"] = "persons";
    dataset["source"] = "synthetic";
    dataset["mapping"] =
        (source_dir() / "samples/mappings/synthetic_persons.person.mapping.json").string();
    config["datasets"] = json::array({dataset});
    config.merge_patch(extra);
    write_file(dir / "bridge.json", config.dump(2));
    return dir / "bridge.json";
}

} // namespace ferry::bridge::testing
