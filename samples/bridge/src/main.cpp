// SPDX-License-Identifier: Apache-2.0
// ferry-bridge — serves catalog datasets of legacy systems over HTTP (see docs/bridge.md).
// Poco::Util::ServerApplication gives --daemon, --pidfile and the termination signals; SIGHUP
// reloads mapping files and consumers without dropping a connection.
#include <csignal>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <sstream>
#include <thread>

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include "audit_log.h"
#include "bridge_context.h"
#include "export_mode.h"
#include "routes.h"
#include "state_secrets.h"
#include "usage.h"

namespace ferry::bridge {
OpenApiDocument embedded_openapi(); // openapi_document.cpp (generated)
} // namespace ferry::bridge

namespace {

using Poco::Util::Option;
using Poco::Util::OptionCallback;

std::vector<std::filesystem::path> builtin_plugin_dirs() {
    std::vector<std::filesystem::path> dirs;
    std::stringstream parts(FERRY_BRIDGE_PLUGIN_DIRS);
    for (std::string part; std::getline(parts, part, ':');) {
        if (!part.empty()) {
            dirs.emplace_back(part);
        }
    }
    return dirs;
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream parts(text);
    for (std::string part; std::getline(parts, part, ',');) {
        if (!part.empty()) {
            items.push_back(part);
        }
    }
    return items;
}

class BridgeApp : public Poco::Util::ServerApplication {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override {
        ServerApplication::defineOptions(options);
        const auto add = [&](const char* name, const char* help, const char* argument) {
            Option option(name, "", help);
            option.required(false).repeatable(false);
            if (argument != nullptr) {
                option.argument(argument);
            }
            option.callback(OptionCallback<BridgeApp>(this, &BridgeApp::on_option));
            options.addOption(option);
        };
        add("help", "this text", nullptr);
        add("config", "the bridge config (JSON); see docs/bridge.md", "FILE");
        add("port", "listen on this port instead of the config's (0: any free port)", "N");
        add("check", "load the config, plugins, mappings and consumers, then exit", nullptr);
        add("export", "write every dataset (or --datasets) to DIR as NDJSON + manifest.json",
            "DIR");
        add("consumer", "with --export: whose grants apply", "ID");
        add("datasets", "with --export: comma-separated dataset ids", "LIST");
        add("usage-report",
            "print the month's usage (calls, records, last use per consumer, dataset and field; "
            "grants unused for 30 days; datasets nobody read) from the audit log",
            "YYYY-MM");
        add("rotate-secret",
            "retire the state directory's key NAME (e.g. catalog_pseudonym) and create a new "
            "one: every pseudonym made with it changes from the next start",
            "NAME");
        add("verify-audit",
            "verify the audit log's hash chain over all its segments (PATH: the active file, or "
            "the folder of its segments); report the first tampered line",
            "PATH");
    }

    void on_option(const std::string& name, const std::string& value) {
        options_[name] = value;
        if (name == "help") {
            Poco::Util::HelpFormatter help(this->options());
            help.setCommand(commandName());
            help.setUsage("--config FILE [--port N] | --check | --export DIR --consumer ID | "
                          "--verify-audit PATH");
            help.setHeader("Serves catalog datasets of legacy systems over HTTP, safely.");
            help.format(std::cout);
            stopOptionsProcessing();
        }
    }

    int main(const std::vector<std::string>&) override {
        if (options_.contains("help")) {
            return EXIT_OK;
        }
        if (options_.contains("verify-audit")) {
            return verify(options_["verify-audit"]);
        }
        if (!options_.contains("config")) {
            std::cerr << "ferry-bridge: --config FILE is required (try --help)\n";
            return EXIT_USAGE;
        }
        ferry::Result<ferry::bridge::BridgeConfig> config = ferry::bridge::load_config(
            options_["config"], ferry::bridge::PluginSearch{builtin_plugin_dirs()});
        if (!config.ok()) {
            return fail(config.status());
        }
        if (options_.contains("usage-report")) {
            return usage_report(*config, options_["usage-report"]);
        }
        if (options_.contains("rotate-secret")) {
            return rotate_secret(config->state_dir / "secrets", options_["rotate-secret"]);
        }
        if (options_.contains("port")) {
            config->listen.port = std::atoi(options_["port"].c_str());
        }
        auto context = ferry::bridge::BridgeContext::open(std::move(*config));
        if (!context.ok()) {
            return fail(context.status());
        }
        if (options_.contains("check")) {
            std::cout << "ferry-bridge: config OK: " << (*context)->datasets().all().size()
                      << " datasets\n";
            return EXIT_OK;
        }
        if (options_.contains("export")) {
            return run_export(**context);
        }
        return serve(**context);
    }

private:
    static int fail(const ferry::Status& status) {
        std::cerr << "ferry-bridge: " << status.to_string() << '\n';
        return EXIT_CONFIG;
    }

    static int usage_report(const ferry::bridge::BridgeConfig& config, const std::string& month) {
        const std::string from = month + "-01";
        if (month.size() != 7 || !ferry::bridge::check_day(from, "usage-report").ok()) {
            std::cerr << "ferry-bridge: --usage-report takes a month, YYYY-MM\n";
            return EXIT_USAGE;
        }
        auto consumers = ferry::bridge::ConsumerRegistry::load(config.consumers_file);
        if (!consumers.ok()) {
            return fail(consumers.status());
        }
        std::vector<std::string> datasets;
        for (const auto& dataset : config.datasets) {
            datasets.push_back(dataset.id);
        }
        ferry::bridge::UsageQuery query;
        query.from = from;
        query.to = ferry::bridge::add_days(from, 31).substr(0, 7) + "-01"; // the next month
        query.today = ferry::bridge::utc_today();
        auto report = ferry::bridge::usage_report(config.audit_file, *consumers, datasets, query);
        if (!report.ok()) {
            return fail(report.status());
        }
        std::cout << report->dump(2) << '\n';
        return EXIT_OK;
    }

    static int rotate_secret(const std::filesystem::path& dir, const std::string& name) {
        ferry::Result<std::filesystem::path> retired = ferry::bridge::rotate_secret(dir, name);
        if (!retired.ok()) {
            return fail(retired.status());
        }
        std::cout << "ferry-bridge: new key " << (dir / (name + ".key")).string();
        if (!retired->empty()) {
            std::cout << "; the old one is " << retired->string();
        }
        std::cout << "\n";
        return EXIT_OK;
    }

    static int verify(const std::string& file) {
        ferry::Result<ferry::bridge::AuditVerification> result =
            ferry::bridge::verify_audit_log(file);
        if (!result.ok()) {
            std::cerr << "ferry-bridge: " << result.status().to_string() << '\n';
            return EXIT_NOINPUT;
        }
        if (result->bad_line == 0) {
            std::cout << file << ": audit chain intact (" << result->lines << " lines";
            if (result->segments > 1) {
                std::cout << " in " << result->segments << " segments";
            }
            std::cout << ")\n";
            return EXIT_OK;
        }
        std::cout << result->bad_file.string() << ":" << result->bad_line
                  << ": tampered: " << result->problem << '\n';
        return EXIT_DATAERR;
    }

    int run_export(ferry::bridge::BridgeContext& context) {
        if (!options_.contains("consumer")) {
            std::cerr << "ferry-bridge: --export needs --consumer ID (whose grants apply)\n";
            return EXIT_USAGE;
        }
        ferry::Result<ferry::bridge::ExportResult> exported = ferry::bridge::run_export(
            context, options_["export"], options_["consumer"], split_list(options_["datasets"]));
        if (!exported.ok()) {
            std::cerr << "ferry-bridge: " << exported.status().to_string() << '\n';
            return export_exit_code(exported.status());
        }
        std::cout << exported->manifest.dump(2) << '\n';
        const nlohmann::json& left_out = exported->manifest.value("left_out", nlohmann::json());
        if (left_out.is_array() && !left_out.empty()) {
            std::cerr << "ferry-bridge: left out (not granted to " << options_["consumer"] << "):";
            for (const nlohmann::json& dataset : left_out) {
                std::cerr << ' ' << dataset.value("dataset", std::string());
            }
            std::cerr << '\n';
        }
        const ferry::Status& status = exported->status;
        if (status.ok()) {
            return EXIT_OK;
        }
        std::cerr << "ferry-bridge: export failed: " << status.to_string() << '\n';
        return export_exit_code(status);
    }

    // The kind of failure, so a scheduler can tell bad data from a source that was down.
    static int export_exit_code(const ferry::Status& status) {
        switch (status.code()) {
        case ferry::StatusCode::Data: // unreconciled, or the reject limit exceeded
            return EXIT_DATAERR;
        case ferry::StatusCode::Unavailable:
            return EXIT_UNAVAILABLE;
        case ferry::StatusCode::Io:
            return EXIT_IOERR;
        case ferry::StatusCode::InvalidArgument:
        case ferry::StatusCode::NotFound:
        case ferry::StatusCode::Unauthorized:
            return EXIT_CONFIG; // unknown consumer or dataset, no grant: nothing was exported
        default:
            return EXIT_SOFTWARE;
        }
    }

    int serve(ferry::bridge::BridgeContext& context) {
        const ferry::bridge::ListenConfig& listen = context.config().listen;
        Poco::Net::ServerSocket socket;
        try {
            socket.bind(
                Poco::Net::SocketAddress(listen.address, static_cast<Poco::UInt16>(listen.port)),
                true);
            socket.listen(listen.max_queued);
        } catch (const Poco::Exception& error) {
            std::cerr << "ferry-bridge: cannot listen on " << listen.address << ":" << listen.port
                      << ": " << error.displayText() << '\n';
            return EXIT_UNAVAILABLE;
        }
        const int port = socket.address().port();
        if (listen.port == 0 && context.config().base_url.empty()) {
            context.set_base_url("http://" + listen.address + ":" + std::to_string(port));
        }
        auto* params = new Poco::Net::HTTPServerParams();
        params->setMaxThreads(listen.max_threads);
        params->setMaxQueued(listen.max_queued);
        params->setKeepAlive(listen.keep_alive_seconds > 0);
        params->setKeepAliveTimeout(Poco::Timespan(listen.keep_alive_seconds, 0));
        params->setMaxKeepAliveRequests(0); // unlimited
        params->setTimeout(Poco::Timespan(listen.timeout_seconds, 0));
        params->setServerName("ferry-bridge");
        Poco::ThreadPool pool(2, listen.max_threads, 60);
        Poco::Net::HTTPServer server(
            new ferry::bridge::BridgeHandlerFactory(context, ferry::bridge::embedded_openapi()),
            pool, socket, params);
        server.start();
        write_port_file(context, port);
        std::cout << "ferry-bridge: listening on " << context.base_url() << " ("
                  << context.datasets().all().size() << " datasets, audit log "
                  << context.config().audit_file.string() << ")" << std::endl;

        std::atomic<bool> stopping{false};
        std::thread reloader([&] { reload_on_sighup(context, stopping); });
        waitForTerminationRequest();
        drain(context, server, pool);
        stopping = true;
        pthread_kill(reloader.native_handle(), SIGHUP);
        reloader.join();
        std::cout << "ferry-bridge: stopped" << std::endl;
        return EXIT_OK;
    }

    static void write_port_file(const ferry::bridge::BridgeContext& context, int port) {
        const std::filesystem::path file = context.config().state_dir / "bridge.port";
        std::error_code error;
        std::filesystem::create_directories(file.parent_path(), error);
        const std::filesystem::path temp = file.string() + ".tmp";
        std::ofstream(temp) << port << '\n';
        std::filesystem::rename(temp, file, error);
    }

    static void reload_on_sighup(ferry::bridge::BridgeContext& context,
                                 const std::atomic<bool>& stopping) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGHUP);
        for (;;) {
            int signal = 0;
            sigwait(&set, &signal);
            if (stopping.load()) {
                return;
            }
            const ferry::Status status = context.reload();
            std::cerr << "ferry-bridge: reload: "
                      << (status.ok() ? std::string("mappings and consumers reloaded")
                                      : status.to_string() + " (the previous ones stay)")
                      << '\n';
        }
    }

    // Stops accepting, lets running streams finish for drain_seconds, then cancels them at
    // their next batch; returns once every handler thread is done.
    static void drain(ferry::bridge::BridgeContext& context,
                      Poco::Net::HTTPServer& server,
                      Poco::ThreadPool& pool) {
        context.draining = true;
        std::cout << "ferry-bridge: draining (" << context.metrics().streams_in_flight()
                  << " streams in flight)" << std::endl;
        server.stopAll(false);
        const auto deadline = std::chrono::steady_clock::now() +
                              std::chrono::seconds(context.config().limits.drain_seconds);
        while (context.metrics().streams_in_flight() > 0 &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        context.cancel_streams = true;
        pool.joinAll();
    }

    std::map<std::string, std::string> options_;
};

} // namespace

int main(int argc, char** argv) {
    // Every thread inherits this mask, so the termination signals reach only the thread that
    // waits for them (Poco's waitForTerminationRequest) and SIGHUP only the reload thread.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGQUIT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    // --daemon moves the process to "/" before options are read: anchor a relative config path
    // (every other path in the config is relative to the config file) to where we started.
    std::vector<std::string> args(argv, argv + argc);
    for (std::size_t idx = 1; idx < args.size(); ++idx) {
        if (args[idx] == "--config" && idx + 1 < args.size()) {
            args[idx + 1] = std::filesystem::absolute(args[idx + 1]).string();
        } else if (args[idx].rfind("--config=", 0) == 0) {
            args[idx] = "--config=" + std::filesystem::absolute(args[idx].substr(9)).string();
        }
    }
    std::vector<char*> pointers;
    for (std::string& arg : args) {
        pointers.push_back(arg.data());
    }
    pointers.push_back(nullptr);
    BridgeApp app;
    return app.run(argc, pointers.data());
}
