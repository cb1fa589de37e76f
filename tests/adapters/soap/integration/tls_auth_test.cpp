// SPDX-License-Identifier: Apache-2.0
// tls_auth_test.cpp — client TLS certificates, HTTP basic auth and 503 + Retry-After against the
// spyne peer (Python's ssl module on loopback), with a throwaway CA made by the openssl CLI.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>

#include "ferry/plugin_library.h"

#include "http_transport.h"
#include "spyne_peer.h"

using ferry::soap::test::SpynePeer;

namespace {

constexpr int kRecords = 900;

ferry::PluginLibrary plugin() {
    return ferry::soap::test::soap_plugin();
}

// A temp dir, removed when the object goes away (also when a test fails).
class TempDir {
public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "ferry-soap-tls-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("cannot create a temp dir for the test certificates");
        }
        dir_ = pattern;
    }

    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string path(const std::string& name) const { return (dir_ / name).string(); }

private:
    std::filesystem::path dir_;
};

// A CA; certificates it signed for 127.0.0.1 ("server"), for 127.0.0.2 ("elsewhere") and for a
// client; and a second CA ("other_ca") that signed none of them.
class Certificates {
public:
    Certificates() { make(); }

    std::string path(const std::string& name) const { return dir_.path(name); }

private:
    void openssl(const std::string& arguments) const {
        const std::string command =
            "cd '" + path("") + "' && openssl " + arguments + " >openssl.log 2>&1";
        if (std::system(command.c_str()) != 0) {
            std::ifstream log(path("openssl.log")); // the temp dir goes with the exception
            std::ostringstream output;
            output << log.rdbuf();
            throw std::runtime_error("openssl " + arguments + " failed: " + output.str());
        }
    }

    void make() const {
        const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
        for (const char* ca : {"ca", "other_ca"}) {
            openssl("req -x509 " + key + " -keyout " + ca + ".key -out " + ca +
                    ".pem -days 2 -subj /CN=Ferry-test-" + ca);
        }
        std::ofstream(path("server.ext")) << "subjectAltName=IP:127.0.0.1\n";
        std::ofstream(path("elsewhere.ext")) << "subjectAltName=IP:127.0.0.2\n";
        std::ofstream(path("client.ext")) << "extendedKeyUsage=clientAuth\n";
        for (const char* who : {"server", "elsewhere", "client"}) {
            openssl(std::string("req ") + key + " -keyout " + who + ".key -out " + who +
                    ".csr -subj /CN=ferry-" + who);
            openssl(std::string("x509 -req -in ") + who + ".csr -CA ca.pem -CAkey ca.key " +
                    "-CAcreateserial -days 2 -out " + who + ".pem -extfile " + who + ".ext");
        }
    }

    TempDir dir_;
};

nlohmann::json paged(const std::string& wsdl, int page_size = 300) {
    return {{"wsdl", wsdl},
            {"retry", {{"max_attempts", 3}, {"initial_ms", 5}, {"max_ms", 5000}}},
            {"datasets",
             {{"enterprises",
               {{"operation", "list_enterprises"},
                {"paging",
                 {{"kind", "page"},
                  {"page_param", "page"},
                  {"size_param", "page_size"},
                  {"size", page_size}}}}}}}};
}

std::string https_url(const SpynePeer& peer) {
    return "https://127.0.0.1:" + std::to_string(peer.port()) + "/";
}

// Reads the whole stream; the codes in order, or the first error.
ferry::Result<std::vector<std::string>> read_codes(ferry::SourceHandle& source) {
    FERRY_ASSIGN_OR_RETURN(auto reader, source.open_stream("enterprises", {{"batch_rows", 400}}));
    std::vector<std::string> codes;
    for (int batch_index = 0; batch_index < 100; ++batch_index) {
        FERRY_ASSIGN_OR_RETURN(auto next, reader.next());
        if (!next.has_value()) {
            return codes;
        }
        const ferry::Batch& batch = *next;
        const auto column = batch.column(batch.schema().index_of("uscc").value());
        for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
            codes.emplace_back(column.text(row));
        }
    }
    return ferry::Status::invalid_argument("stream did not end");
}

void check_every_record_once(const std::vector<std::string>& codes) {
    REQUIRE(codes.size() == static_cast<std::size_t>(kRecords));
    char expected[32];
    for (int number = 1; number <= kRecords; ++number) {
        std::snprintf(expected, sizeof expected, "91110105MA%08d", number);
        REQUIRE(codes[static_cast<std::size_t>(number - 1)] == expected);
    }
}

// The peer's WSDL saved as a local file, so a source can start without reaching the endpoint
// and the failure shows at the SOAP call itself.
std::string save_wsdl(const ferry::soap::TransportOptions& transport,
                      const std::string& url,
                      const std::string& file) {
    auto fetcher = ferry::soap::HttpTransport::create(transport);
    REQUIRE(fetcher.ok());
    auto text = (*fetcher)->get(url + "?wsdl", std::size_t{1} << 20);
    REQUIRE(text.ok());
    std::ofstream(file) << *text;
    return file;
}

} // namespace

TEST_CASE("https with a client certificate delivers every record, without one or with an "
          "untrusted server it is a clear error",
          "[soap][integration][tls]") {
    const Certificates certs;
    SpynePeer peer({"--records", std::to_string(kRecords), "--tls-cert", certs.path("server.pem"),
                    "--tls-key", certs.path("server.key"), "--tls-client-ca",
                    certs.path("ca.pem")});
    nlohmann::json tls{{"certificate", certs.path("client.pem")},
                       {"private_key", certs.path("client.key")},
                       {"ca", certs.path("ca.pem")},
                       {"verify", true}};

    nlohmann::json options = paged(https_url(peer) + "?wsdl");
    options["tls"] = tls;
    auto source = plugin().create_source(options);
    REQUIRE(source.ok());
    auto discovered = source->discover();
    REQUIRE(discovered.ok());
    CHECK((*discovered)["datasets"][0]["name"] == "enterprises");
    auto codes = read_codes(*source);
    REQUIRE(codes.ok());
    check_every_record_once(*codes);

    SECTION("no client certificate: the WSDL fetch and the call fail with the TLS reason") {
        nlohmann::json anonymous = paged(https_url(peer) + "?wsdl");
        anonymous["tls"] = {{"ca", certs.path("ca.pem")}};
        auto refused = plugin().create_source(anonymous);
        REQUIRE_FALSE(refused.ok());
        INFO(refused.status().message());
        CHECK_THAT(refused.status().message(), Catch::Contains("WSDL") && Catch::Contains("SSL"));

        ferry::soap::TransportOptions fetch;
        fetch.endpoint = https_url(peer);
        fetch.tls_certificate = certs.path("client.pem");
        fetch.tls_private_key = certs.path("client.key");
        fetch.tls_ca = certs.path("ca.pem");
        anonymous["wsdl"] = save_wsdl(fetch, https_url(peer), certs.path("registry.wsdl"));
        auto local = plugin().create_source(anonymous);
        REQUIRE(local.ok());
        auto call = read_codes(*local);
        REQUIRE_FALSE(call.ok());
        INFO(call.status().message());
        CHECK(call.status().code() == ferry::StatusCode::Unavailable);
        CHECK_THAT(call.status().message(),
                   Catch::Contains("list_enterprises") && Catch::Contains("SSL"));
    }

    SECTION("verify on with a CA that did not sign the server's certificate") {
        nlohmann::json untrusted = options;
        untrusted["tls"]["ca"] = certs.path("other_ca.pem");
        auto refused = plugin().create_source(untrusted);
        REQUIRE_FALSE(refused.ok());
        INFO(refused.status().message());
        CHECK_THAT(refused.status().message(),
                   Catch::Contains("WSDL") && Catch::Contains("certificate verify failed"));
    }
}

TEST_CASE("https: a server certificate for another address is refused, also on loopback",
          "[soap][integration][tls]") {
    const Certificates certs;
    SpynePeer peer({"--records", "10", "--tls-cert", certs.path("elsewhere.pem"), "--tls-key",
                    certs.path("elsewhere.key")});
    nlohmann::json options = paged(https_url(peer) + "?wsdl");
    options["tls"] = {{"ca", certs.path("ca.pem")}};
    auto refused = plugin().create_source(options);
    REQUIRE_FALSE(refused.ok());
    INFO(refused.status().message());
    CHECK_THAT(refused.status().message(),
               Catch::Contains("fetching the WSDL") && Catch::Contains("127.0.0.1"));

    options["tls"]["verify"] = false; // a throwaway service: the name is not checked
    CHECK(plugin().create_source(options).ok());
}

TEST_CASE("HTTP basic auth: right credentials deliver, wrong ones are Unauthorized",
          "[soap][integration][auth]") {
    SpynePeer peer({"--records", std::to_string(kRecords), "--basic-user", "gateway",
                    "--basic-password", "0pen-Sesame"});
    nlohmann::json options = paged(peer.wsdl_url());
    options["auth"] = {{"basic", {{"username", "gateway"}, {"password", "0pen-Sesame"}}}};
    auto source = plugin().create_source(options);
    REQUIRE(source.ok());
    auto codes = read_codes(*source);
    REQUIRE(codes.ok());
    check_every_record_once(*codes);

    nlohmann::json wrong = options;
    wrong["auth"]["basic"]["password"] = "not-the-password";
    auto refused = plugin().create_source(wrong);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().code() == ferry::StatusCode::Unauthorized);
    CHECK_THAT(refused.status().message(),
               Catch::Contains("HTTP 401 Unauthorized") && !Catch::Contains("not-the-password"));

    // The same at the SOAP call, with the WSDL read from a local copy.
    ferry::soap::TransportOptions fetch;
    fetch.endpoint = peer.url();
    fetch.basic_user = "gateway";
    fetch.basic_password = "0pen-Sesame";
    const TempDir scratch;
    wrong["wsdl"] = save_wsdl(fetch, peer.url(), scratch.path("registry.wsdl"));
    auto local = plugin().create_source(wrong);
    REQUIRE(local.ok());
    auto call = read_codes(*local);
    REQUIRE_FALSE(call.ok());
    CHECK(call.status().code() == ferry::StatusCode::Unauthorized);
    CHECK_THAT(call.status().message(), Catch::Contains("HTTP 401 Unauthorized") &&
                                            Catch::Contains("list_enterprises") &&
                                            !Catch::Contains("not-the-password"));
}

TEST_CASE("503 with Retry-After: the adapter waits, then every record arrives exactly once",
          "[soap][integration][faults]") {
    SpynePeer peer({"--records", std::to_string(kRecords), "--unavailable-first", "2"});
    auto source = plugin().create_source(paged(peer.wsdl_url()));
    REQUIRE(source.ok());
    const auto started = std::chrono::steady_clock::now();
    auto codes = read_codes(*source);
    const auto waited = std::chrono::steady_clock::now() - started;
    REQUIRE(codes.ok());
    check_every_record_once(*codes);
    // Two answers asked for a one-second pause each.
    CHECK(waited >= std::chrono::milliseconds(1900));
}
