// SPDX-License-Identifier: Apache-2.0
// legacy_registry.cpp — the sample estate's legacy SOAP service: an enterprise registry with a
// WSDL, paged queries and a key lookup, over Poco's HTTP server (keep-alive) on loopback.
//
//   ferry-legacy-registry [--port N] [--records N] [--max-page N] [--user U --password P]
//                         [--lifetime SECONDS]
// Prints "PORT <n>" once listening (port 0 picks a free one); serves the WSDL at /registry?wsdl
// and SOAP 1.1 at /registry. With --user, requests need a WS-Security UsernameToken (text or
// digest). Stops on SIGINT/SIGTERM or after --lifetime seconds.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include "registry_data.h"
#include "registry_wsdl.h"
#include "soap_request.h"

namespace {

using namespace ferry::samples;

struct Settings {
    int port = 0;
    std::int64_t records = 5000;
    std::int64_t max_page = 1000;
    std::string user;
    std::string password;
    int lifetime = 0;
};

std::atomic<bool> g_stop{false};

void on_signal(int) {
    g_stop = true;
}

constexpr const char* kEnvelopeOpen = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "
                                      "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                                      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                                      "xmlns:r=\"urn:ferry:sample:legacy-registry\"><soapenv:Body>";
constexpr const char* kEnvelopeClose = "</soapenv:Body></soapenv:Envelope>";

std::string fault(const std::string& code, const std::string& reason) {
    return std::string(kEnvelopeOpen) + "<soapenv:Fault><faultcode>soapenv:" + code +
           "</faultcode><faultstring>" + reason + "</faultstring></soapenv:Fault>" + kEnvelopeClose;
}

class RegistryHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit RegistryHandler(const Settings& settings)
        : settings_(settings) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        if (request.getMethod() == "GET" && request.getURI().find("wsdl") != std::string::npos) {
            const std::string address = "http://" + request.getHost() + "/registry";
            send(response, Poco::Net::HTTPResponse::HTTP_OK, "text/xml; charset=utf-8",
                 registry_wsdl(address));
            return;
        }
        if (request.getMethod() != "POST") {
            send(response, Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "text/plain",
                 "POST SOAP requests to /registry; GET /registry?wsdl for the WSDL\n");
            return;
        }
        std::string body;
        Poco::StreamCopier::copyToString(request.stream(), body, 1 << 20);
        std::string answer;
        const bool ok = answer_request(body, answer);
        send(response,
             ok ? Poco::Net::HTTPResponse::HTTP_OK
                : Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
             "text/xml; charset=utf-8", answer);
    }

private:
    bool answer_request(const std::string& body, std::string& answer) const {
        SoapRequest parsed;
        if (const std::string error = parse_soap_request(body, parsed); !error.empty()) {
            answer = fault("Client.BadRequest", error);
            return false;
        }
        if (!settings_.user.empty()) {
            if (const std::string error =
                    check_username_token(parsed, settings_.user, settings_.password);
                !error.empty()) {
                answer = fault("Client.Authentication", error);
                return false;
            }
        }
        if (parsed.operation == "QueryEnterprises") {
            const std::int64_t page = std::atoll(parsed.values["pageNo"].c_str());
            const std::int64_t size = std::atoll(parsed.values["pageSize"].c_str());
            if (page < 1 || size < 1 || size > settings_.max_page) {
                answer = fault("Client.BadPage", "pageNo must be >= 1 and pageSize 1.." +
                                                     std::to_string(settings_.max_page));
                return false;
            }
            const std::int64_t first = (page - 1) * size + 1;
            const std::int64_t last = std::min(first + size - 1, settings_.records);
            answer.reserve(static_cast<std::size_t>(size) * 900 + 512);
            answer = kEnvelopeOpen;
            answer += "<r:QueryEnterprisesResponse><r:total>" + std::to_string(settings_.records) +
                      "</r:total><r:records>";
            for (std::int64_t number = first; number <= last; ++number) {
                append_record_xml(answer, registration(number));
            }
            answer += "</r:records></r:QueryEnterprisesResponse>";
            answer += kEnvelopeClose;
            return true;
        }
        if (parsed.operation == "GetEnterprise") {
            const std::int64_t number = number_of(parsed.values["tyshxydm"]);
            answer = kEnvelopeOpen;
            answer += "<r:GetEnterpriseResponse>";
            if (number >= 1 && number <= settings_.records) {
                append_record_xml(answer, registration(number));
            } else {
                answer += "<r:record xsi:nil=\"true\"/>";
            }
            answer += "</r:GetEnterpriseResponse>";
            answer += kEnvelopeClose;
            return true;
        }
        answer = fault("Client.UnknownOperation", "no operation \"" + parsed.operation + "\"");
        return false;
    }

    static void send(Poco::Net::HTTPServerResponse& response,
                     Poco::Net::HTTPResponse::HTTPStatus status,
                     const std::string& content_type,
                     const std::string& body) {
        response.setStatus(status);
        response.setContentType(content_type);
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
    }

    const Settings& settings_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit HandlerFactory(const Settings& settings)
        : settings_(settings) {}

    Poco::Net::HTTPRequestHandler*
    createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new RegistryHandler(settings_);
    }

private:
    const Settings& settings_;
};

bool parse_arguments(int argc, char** argv, Settings& settings) {
    for (int index = 1; index + 1 < argc; index += 2) {
        const std::string name = argv[index];
        const std::string value = argv[index + 1];
        if (name == "--port") {
            settings.port = std::atoi(value.c_str());
        } else if (name == "--records") {
            settings.records = std::atoll(value.c_str());
        } else if (name == "--max-page") {
            settings.max_page = std::atoll(value.c_str());
        } else if (name == "--user") {
            settings.user = value;
        } else if (name == "--password") {
            settings.password = value;
        } else if (name == "--lifetime") {
            settings.lifetime = std::atoi(value.c_str());
        } else {
            return false;
        }
    }
    return argc % 2 == 1;
}

} // namespace

int main(int argc, char** argv) {
    Settings settings;
    if (!parse_arguments(argc, argv, settings)) {
        std::cerr << "usage: ferry-legacy-registry [--port N] [--records N] [--max-page N] "
                     "[--user U --password P] [--lifetime SECONDS]\n";
        return 2;
    }
    try {
        Poco::Net::ServerSocket socket(
            Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(settings.port)));
        auto* params = new Poco::Net::HTTPServerParams;
        params->setKeepAlive(true);
        params->setMaxThreads(4);
        Poco::Net::HTTPServer server(new HandlerFactory(settings), socket, params);
        server.start();
        std::cout << "PORT " << socket.address().port() << std::endl;
        std::signal(SIGINT, on_signal);
        std::signal(SIGTERM, on_signal);
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::seconds(settings.lifetime);
        while (!g_stop && (settings.lifetime == 0 || std::chrono::steady_clock::now() < deadline)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        server.stop();
    } catch (const Poco::Exception& error) {
        std::cerr << "ferry-legacy-registry: " << error.displayText() << "\n";
        return 1;
    }
    return 0;
}
