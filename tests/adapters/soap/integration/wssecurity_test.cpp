// SPDX-License-Identifier: Apache-2.0
// wssecurity_test.cpp — WS-Security UsernameToken (text and digest) against the sample legacy
// registry (samples/legacy_soap), which verifies the token; a wrong password is a clear error.
#include <string>

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <catch2/catch.hpp>

#include "ferry/plugin_library.h"

extern "C" FerryStatus
FerryPluginSoapInit(std::uint32_t, const FerryHostApi*, FerryPluginApi*, FerryError*);

namespace {

// The sample registry as a child process on a free loopback port; killed at scope end.
class Registry {
public:
    Registry()
        : handle_(launch()) {
        Poco::PipeInputStream stream(out_);
        std::string line;
        REQUIRE(std::getline(stream, line));
        REQUIRE(line.rfind("PORT ", 0) == 0);
        port_ = line.substr(5);
    }

    ~Registry() {
        Poco::Process::kill(handle_);
        handle_.wait();
    }

    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    std::string wsdl() const { return "http://127.0.0.1:" + port_ + "/registry?wsdl"; }

private:
    Poco::ProcessHandle launch() {
        return Poco::Process::launch(FERRY_LEGACY_REGISTRY,
                                     {"--port", "0", "--records", "1200", "--user", "clerk",
                                      "--password", "s3cret", "--lifetime", "60"},
                                     nullptr, &out_, nullptr);
    }

    Poco::Pipe out_;
    Poco::ProcessHandle handle_;
    std::string port_;
};

nlohmann::json options(const Registry& registry, const std::string& password, const char* type) {
    return {{"wsdl", registry.wsdl()},
            {"auth",
             {{"ws_security",
               {{"username", "clerk"}, {"password", password}, {"password_type", type}}}}},
            {"datasets",
             {{"registrations",
               {{"operation", "QueryEnterprises"},
                {"paging",
                 {{"kind", "page"},
                  {"page_param", "pageNo"},
                  {"size_param", "pageSize"},
                  {"size", 500}}}}}}}};
}

std::int64_t read_count(ferry::SourceHandle& source, ferry::Status& error) {
    auto reader = source.open_stream("registrations");
    if (!reader.ok()) {
        error = reader.status();
        return -1;
    }
    for (int batch_index = 0; batch_index < 100; ++batch_index) {
        auto batch = reader->next();
        if (!batch.ok()) {
            error = batch.status();
            return -1;
        }
        if (!batch->has_value()) {
            return reader->records_read();
        }
    }
    return -1;
}

} // namespace

TEST_CASE("UsernameToken as text and as digest, checked by the service", "[soap][integration]") {
    Registry registry;
    auto plugin = ferry::PluginLibrary::from_init(&FerryPluginSoapInit, "soap").value();
    for (const char* type : {"text", "digest"}) {
        INFO("password_type " << type);
        auto source = plugin.create_source(options(registry, "s3cret", type));
        REQUIRE(source.ok());
        ferry::Status error;
        CHECK(read_count(*source, error) == 1200);
        CHECK(error.ok());

        auto wrong = plugin.create_source(options(registry, "guess", type));
        REQUIRE(wrong.ok());
        CHECK(read_count(*wrong, error) == -1);
        CHECK(error.code() == ferry::StatusCode::InvalidArgument);
        CHECK_THAT(error.message(),
                   Catch::Contains("Client.Authentication") && !Catch::Contains("guess"));
    }
}
