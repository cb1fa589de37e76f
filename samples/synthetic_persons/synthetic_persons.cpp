// SPDX-License-Identifier: Apache-2.0
// synthetic_persons.cpp — an example adapter: deterministic synthetic insured persons.
//
// Record n depends only on (seed, n), so the stream can resume from any record and look up any
// person by id without state. With "dirty_every": k, every k-th source record carries an ID
// number with a wrong check digit, as legacy data does, and becomes a reject. With
// "vacant_every": k, every k-th slot of the register is vacant and is skipped. The register's
// header declares how many slots it holds ("declared_count", by default the true count), and
// each stream reports it, so a host can tell a complete read from a short one.
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <ferry/plugin/define_plugin.h>
#include <ferry/plugin/source.h>

namespace {

// splitmix64: a tiny, well-mixed, deterministic generator.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// GB 11643-1999: weighted sum of the first 17 digits, mod 11, mapped through "10X98765432".
char id_check_char(const std::string& first17) {
    static constexpr std::array<int, 17> kWeights{7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                  3, 7, 9,  10, 5, 8, 4, 2};
    int sum = 0;
    for (std::size_t pos = 0; pos < 17; ++pos) {
        sum += (first17[pos] - '0') * kWeights[pos];
    }
    return "10X98765432"[sum % 11];
}

std::string two_digits(std::int32_t value) {
    return std::string(1, static_cast<char>('0' + value / 10)) +
           static_cast<char>('0' + value % 10);
}

class SyntheticPersons : public ferry::plugin::Source {
public:
    static constexpr const char* kName = "synthetic_persons";
    static constexpr const char* kVersion = "1.0.0";
    static constexpr const char* kDescription = "Deterministic synthetic insured persons";
    static constexpr const char* kOptionsSchema = R"({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "count": {"type": "integer", "minimum": 0, "maximum": 100000000, "default": 100},
            "seed": {"type": "integer", "default": 2024},
            "dirty_every": {"type": "integer", "minimum": 0, "default": 0},
            "region": {"type": "string", "pattern": "^[1-9][0-9]{5}$", "default": "110105"},
            "vacant_every": {"type": "integer", "minimum": 0, "default": 0},
            "declared_count": {"type": "integer", "minimum": 0}
        }
    })";

    static ferry::Result<std::unique_ptr<SyntheticPersons>> create(const nlohmann::json& options) {
        auto source = std::make_unique<SyntheticPersons>();
        source->count_ = options.value("count", std::int64_t{100});
        source->seed_ = options.value("seed", std::uint64_t{2024});
        source->dirty_every_ = options.value("dirty_every", std::int64_t{0});
        source->region_ = options.value("region", std::string("110105"));
        source->vacant_every_ = options.value("vacant_every", std::int64_t{0});
        // A header that disagrees with the body is how a register shows it was cut short.
        source->declared_count_ = options.value("declared_count", source->count_);
        return source;
    }

    ferry::Result<nlohmann::json> discover() override {
        return nlohmann::json{{"datasets",
                               {{{"name", "persons"},
                                 {"title", "参保人员 (synthetic insured persons)"},
                                 {"fields", ferry::plugin::describe_fields(schema())},
                                 {"key", {"person_id"}},
                                 {"capabilities", {{"lookup", true}, {"resume", true}}}}}}};
    }

    ferry::Result<std::unique_ptr<ferry::plugin::Stream>>
    open_stream(const ferry::plugin::StreamRequest& request) override {
        if (request.dataset != "persons") {
            return ferry::Status::not_found("no dataset \"" + request.dataset + "\"");
        }
        std::int64_t first = 1;
        std::int64_t last = count_;
        if (request.lookup.is_object()) { // {"person_id": "P00000042"} reads one record
            const std::string id = request.lookup.value("person_id", std::string());
            const bool well_formed =
                id.size() == 9 && id[0] == 'P' &&
                std::from_chars(id.data() + 1, id.data() + 9, first).ptr == id.data() + 9;
            if (!well_formed) {
                return ferry::Status::invalid_argument(
                    "lookup needs \"person_id\": \"P\" + 8 digits");
            }
            last = first;
            if (first < 1 || first > count_) {
                last = first - 1; // an unknown key: an empty stream, not an error
            }
        } else if (request.resume.is_object()) { // a checkpoint from an earlier batch
            first = request.resume.value("next_record", std::int64_t{1});
        }
        auto stream = ferry::plugin::make_stream(
            schema(),
            [this, next = first,
             last](ferry::BatchBuilder& out,
                   const ferry::plugin::Stream& self) mutable -> ferry::Result<bool> {
                while (next <= last && !out.full() && !self.cancelled()) {
                    FERRY_RETURN_IF_ERROR(emit(next++, out));
                }
                out.set_checkpoint(nlohmann::json{{"next_record", next}});
                return next <= last;
            });
        if (!request.lookup.is_object()) {
            // What the source itself says it holds: the host compares it with what it read.
            ferry::plugin::StreamAccounting& accounting = stream->accounting();
            accounting.declare_records(declared_count_, "the register's header", {},
                                       /*includes_skipped=*/true);
            accounting.set_resumed_after(first - 1);
            accounting.set_expected_total(count_, std::nullopt);
        }
        return stream;
    }

private:
    static ferry::Schema schema() {
        return ferry::Schema({
            {"person_id", ferry::DataType::utf8(), false},
            {"id_number", ferry::DataType::utf8(), false},
            {"name", ferry::DataType::utf8(), false},
            {"gender", ferry::DataType::utf8(), false},
            {"birth_date", ferry::DataType::date32(), false},
            {"monthly_wage", ferry::DataType::decimal128(14, 2).value(), true},
            {"insured", ferry::DataType::boolean(), false},
            {"registered_at", ferry::DataType::timestamp_micros(), false},
        });
    }

    ferry::Status emit(std::int64_t record_no, ferry::BatchBuilder& out) const {
        if (vacant_every_ > 0 && record_no % vacant_every_ == 0) {
            return out.skip_record(record_no, "vacant_slot"); // no person, and no error either
        }
        std::uint64_t random = mix(seed_ ^ mix(static_cast<std::uint64_t>(record_no)));
        auto draw = [&random](std::uint64_t range) {
            random = mix(random);
            return static_cast<std::int32_t>(random % range);
        };
        // Birth dates 1950-01-01 .. 2005-12-31 (20454 days); sequence 001..999, odd = male.
        const ferry::Date birth = ferry::Date::from_days(-7305 + draw(20454));
        const std::int32_t sequence = 1 + draw(999);
        std::string id = region_ + std::to_string(birth.year()) + two_digits(birth.month()) +
                         two_digits(birth.day()) + two_digits(sequence / 10) +
                         static_cast<char>('0' + sequence % 10);
        id += id_check_char(id);
        if (dirty_every_ > 0 && record_no % dirty_every_ == 0) {
            id.back() = id.back() == '0' ? '1' : '0'; // what a legacy system might hold
        }

        // Validation belongs to the adapter only where the source itself guarantees a rule;
        // here it shows how a bad record becomes a reject instead of an error.
        if (const char expected = id_check_char(id); id.back() != expected) {
            // An ID number is sensitive: the reject names the field, never carries the value.
            return out.reject(record_no, {"id_number", "check_digit",
                                          std::string("check digit mismatch (computed ") +
                                              expected + ", found " + id.back() + ")"});
        }

        static constexpr std::array<const char*, 8> kSurnames{"王", "李", "张", "刘",
                                                              "陈", "杨", "赵", "黄"};
        static constexpr std::array<const char*, 8> kGiven{"伟", "芳", "娜", "敏",
                                                           "静", "强", "磊", "洋"};
        const std::string name = std::string(kSurnames[static_cast<std::size_t>(draw(8))]) +
                                 kGiven[static_cast<std::size_t>(draw(8))];
        char person_id[16];
        std::snprintf(person_id, sizeof person_id, "P%08lld", static_cast<long long>(record_no));
        FERRY_ASSIGN_OR_RETURN(ferry::Decimal wage,
                               ferry::Decimal::from_unscaled(250000 + draw(3000000), 2));
        const ferry::Value values[] = {
            ferry::Value::text(person_id).value(),
            ferry::Value::text(id).value(),
            ferry::Value::text(name).value(),
            ferry::Value::text(sequence % 2 == 1 ? "1" : "2").value(),
            ferry::Value::date(birth),
            draw(20) == 0 ? ferry::Value::null() : ferry::Value::decimal(wage),
            ferry::Value::boolean(draw(10) != 0),
            ferry::Value::timestamp(ferry::Timestamp::from_micros(
                1'262'304'000'000'000 + std::int64_t{draw(400'000'000)} * 1'000'000)),
        };
        return out.append_record(record_no, values);
    }

    std::int64_t count_ = 0;
    std::uint64_t seed_ = 0;
    std::int64_t dirty_every_ = 0;
    std::int64_t vacant_every_ = 0;
    std::int64_t declared_count_ = 0;
    std::string region_;
};

} // namespace

FERRY_DEFINE_PLUGIN(SyntheticPersons, SyntheticPersons);
