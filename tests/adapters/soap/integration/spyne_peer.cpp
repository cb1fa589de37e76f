// SPDX-License-Identifier: Apache-2.0
// spyne_peer.cpp — the peer as a child process (Poco::Process), its port read from stdout.
#include "spyne_peer.h"

#include <stdexcept>
#include <string>

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

extern "C" FerryStatus
FerryPluginSoapInit(std::uint32_t, const FerryHostApi*, FerryPluginApi*, FerryError*);

namespace ferry::soap::test {

ferry::PluginLibrary soap_plugin() {
    return ferry::PluginLibrary::from_init(&FerryPluginSoapInit, "soap").value();
}

struct SpynePeer::Process {
    Poco::ProcessHandle handle;
};

SpynePeer::SpynePeer(std::vector<std::string> extra_args) {
    std::vector<std::string> args{FERRY_SOAP_PEER, "serve", "--port", "0", "--lifetime", "120"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    Poco::Pipe out;
    process_ = std::make_unique<Process>(
        Process{Poco::Process::launch(FERRY_SYSTEM_PYTHON, args, nullptr, &out, nullptr)});
    Poco::PipeInputStream stream(out);
    std::string line;
    // The peer prints "PORT <n>" once it listens; a peer that dies first closes the pipe.
    if (!std::getline(stream, line) || line.rfind("PORT ", 0) != 0) {
        Poco::Process::kill(process_->handle);
        process_->handle.wait();
        throw std::runtime_error("the spyne peer did not start (is python3-spyne installed?)");
    }
    port_ = std::stoi(line.substr(5));
}

SpynePeer::~SpynePeer() {
    try {
        Poco::Process::kill(process_->handle);
        process_->handle.wait();
    } catch (...) { // already gone
    }
}

} // namespace ferry::soap::test
