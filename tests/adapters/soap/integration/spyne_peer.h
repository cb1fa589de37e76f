// SPDX-License-Identifier: Apache-2.0
// spyne_peer.h — starts the spyne registry peer (tests/adapters/soap/peer) on a free loopback
// port and stops it when the object goes away, also when a test fails.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ferry/plugin_library.h"

namespace ferry::soap::test {

/// The SOAP adapter linked into the test executable, loaded through its init function.
ferry::PluginLibrary soap_plugin();

class SpynePeer {
public:
    explicit SpynePeer(std::vector<std::string> extra_args = {});
    ~SpynePeer();
    SpynePeer(const SpynePeer&) = delete;
    SpynePeer& operator=(const SpynePeer&) = delete;

    int port() const noexcept { return port_; }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

    std::string wsdl_url() const { return url() + "?wsdl"; }

private:
    struct Process;
    std::unique_ptr<Process> process_;
    int port_ = 0;
};

} // namespace ferry::soap::test
