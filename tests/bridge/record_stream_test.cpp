// SPDX-License-Identifier: Apache-2.0
// record_stream_test.cpp — resuming from any cursor delivers every record exactly once, and
// the counts reconcile (read = delivered + rejected).
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "bridge_context.h"
#include "bridge_test_support.h"
#include "record_stream.h"

namespace fb = ferry::bridge;
using fb::testing::TempDir;

namespace {

struct Pull {
    std::vector<std::string> ids;     ///< person_id of every record, in order
    std::vector<std::string> cursors; ///< every cursor line, in order
    fb::PullOutcome outcome;
};

class LineSink : public fb::ChunkSink {
public:
    explicit LineSink(Pull& pull, std::int64_t stop_after_chunks = -1)
        : pull_(pull)
        , stop_after_(stop_after_chunks) {}

    bool write(std::string_view chunk) override {
        if (stop_after_ >= 0 && chunks_++ >= stop_after_) {
            return false; // the client went away
        }
        std::istringstream lines{std::string(chunk)};
        for (std::string line; std::getline(lines, line);) {
            auto doc = nlohmann::json::parse(line);
            if (doc.contains("_cursor")) {
                pull_.cursors.push_back(doc["_cursor"].get<std::string>());
            } else {
                pull_.ids.push_back(doc["person_id"].get<std::string>());
            }
        }
        return true;
    }

private:
    Pull& pull_;
    std::int64_t stop_after_;
    std::int64_t chunks_ = 0;
};

class Fixture {
public:
    explicit Fixture(int count, int batch_rows = 0) {
        const auto file = fb::testing::write_synthetic_config(dir_.path(), count);
        if (batch_rows > 0) { // one source batch larger than the bridge's cursor interval
            std::ifstream in(file);
            nlohmann::json doc = nlohmann::json::parse(in, nullptr, true, /*ignore_comments=*/true);
            doc["limits"]["batch_rows"] = batch_rows;
            std::ofstream(file) << doc.dump();
        }
        auto config = fb::load_config(file, {});
        REQUIRE(config.ok());
        auto context = fb::BridgeContext::open(std::move(*config));
        REQUIRE(context.ok());
        context_ = std::move(*context);
        dataset_ = context_->datasets().find("persons");
        auto policy = context_->policy(*context_->consumers()->find("full"), *dataset_);
        REQUIRE(policy.ok());
        policy_ = *policy;
    }

    Pull pull(const std::string& since,
              std::optional<std::int64_t> limit,
              std::int64_t stop_after_chunks = -1) {
        Pull result;
        fb::PullOptions options;
        options.start.dataset = "persons";
        if (!since.empty()) {
            auto cursor = context_->cursors().decode(since, "persons");
            REQUIRE(cursor.ok());
            options.start = *cursor;
        }
        options.limit = limit;
        LineSink sink(result, stop_after_chunks);
        result.outcome = fb::pull_records(*context_, *dataset_, *policy_, options, sink);
        return result;
    }

    std::string encode(const fb::Cursor& cursor) const {
        return context_->cursors().encode(cursor);
    }

private:
    TempDir dir_;
    std::unique_ptr<fb::BridgeContext> context_;
    std::shared_ptr<const fb::Dataset> dataset_;
    std::shared_ptr<const fb::FieldPolicy> policy_;
};

} // namespace

TEST_CASE("a full pull reconciles: read = delivered + rejected", "[bridge][stream]") {
    Fixture fixture(1000);
    const Pull all = fixture.pull("", std::nullopt);
    REQUIRE(all.outcome.status.ok());
    CHECK(all.outcome.complete);
    CHECK(all.outcome.rejected == 1000 / 25);
    CHECK(all.outcome.delivered == 1000 - 1000 / 25);
    CHECK(static_cast<std::int64_t>(all.ids.size()) == all.outcome.delivered);
    CHECK(std::set<std::string>(all.ids.begin(), all.ids.end()).size() == all.ids.size());
}

TEST_CASE("paging with any limit delivers every record exactly once", "[bridge][stream]") {
    Fixture fixture(700);
    const Pull all = fixture.pull("", std::nullopt);
    for (const std::int64_t limit : {1, 37, 64, 100, 333}) {
        std::vector<std::string> paged;
        std::string since;
        for (int pages = 0; pages < 1000; ++pages) {
            Pull page = fixture.pull(since, limit);
            REQUIRE(page.outcome.status.ok());
            REQUIRE(static_cast<std::int64_t>(page.ids.size()) <= limit);
            paged.insert(paged.end(), page.ids.begin(), page.ids.end());
            since = fixture.encode(page.outcome.next);
            if (page.outcome.complete) {
                break;
            }
        }
        INFO("limit " << limit);
        CHECK(paged == all.ids);
    }
}

TEST_CASE("resuming from every cursor line delivers exactly the rest", "[bridge][stream]") {
    Fixture fixture(500);
    const Pull all = fixture.pull("", std::nullopt);
    REQUIRE(all.cursors.size() >= 7);
    std::size_t seen_before = 0;
    // Records before each cursor line: replay the stream chunk by chunk to know the split.
    for (std::size_t idx = 0; idx < all.cursors.size(); ++idx) {
        Pull first_part = fixture.pull("", std::nullopt, static_cast<std::int64_t>(idx + 1));
        seen_before = first_part.ids.size();
        const Pull rest = fixture.pull(all.cursors[idx], std::nullopt);
        REQUIRE(rest.outcome.status.ok());
        std::vector<std::string> joined(all.ids.begin(),
                                        all.ids.begin() + static_cast<std::ptrdiff_t>(seen_before));
        joined.insert(joined.end(), rest.ids.begin(), rest.ids.end());
        INFO("cursor " << idx);
        CHECK(joined == all.ids);
    }
}

TEST_CASE("a client that disconnects resumes from its last cursor and loses nothing",
          "[bridge][stream]") {
    Fixture fixture(600);
    const Pull all = fixture.pull("", std::nullopt);
    Pull broken = fixture.pull("", std::nullopt, 3); // three chunks arrive, then the line drops
    CHECK(broken.outcome.receiver_gone);
    REQUIRE_FALSE(broken.cursors.empty());
    const Pull rest = fixture.pull(broken.cursors.back(), std::nullopt);
    std::vector<std::string> joined = broken.ids;
    joined.insert(joined.end(), rest.ids.begin(), rest.ids.end());
    CHECK(joined == all.ids);
}

TEST_CASE("a source batch larger than 1,000 records carries a cursor every 1,000",
          "[bridge][stream]") {
    Fixture fixture(2600, 4096); // one source batch: 2,496 delivered, 104 rejected
    const Pull all = fixture.pull("", std::nullopt);
    REQUIRE(all.outcome.status.ok());
    CHECK(all.cursors.size() == 3); // after records 1,000 and 2,000 of the batch, and its end
    // A client cut off after the first run of rows resumes from the cursor it received.
    Pull broken = fixture.pull("", std::nullopt, 1);
    CHECK(broken.outcome.receiver_gone);
    REQUIRE(broken.cursors.size() == 1);
    CHECK(broken.ids.size() == 1000);
    const Pull rest = fixture.pull(broken.cursors.back(), std::nullopt);
    REQUIRE(rest.outcome.status.ok());
    std::vector<std::string> joined = broken.ids;
    joined.insert(joined.end(), rest.ids.begin(), rest.ids.end());
    CHECK(joined == all.ids);
}
