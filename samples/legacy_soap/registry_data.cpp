// SPDX-License-Identifier: Apache-2.0
// registry_data.cpp — synthetic registrations (domain.md §3.3 for the USCC rules).
#include "registry_data.h"

#include <array>
#include <cstdio>

namespace ferry::samples {

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kUsccWeights{1,  3,  9,  27, 19, 26, 16, 17, 20,
                                           29, 25, 13, 8,  24, 10, 30, 28};
constexpr std::array<const char*, 8> kTrades{"科技", "商贸", "建筑", "餐饮",
                                             "物流", "咨询", "制造", "文化"};
constexpr std::array<const char*, 10> kWords{"华", "安", "信", "达", "兴",
                                             "盛", "恒", "通", "泰", "丰"};
constexpr std::array<const char*, 6> kSurnames{"王", "李", "张", "刘", "陈", "杨"};
constexpr std::array<const char*, 4> kTypes{"1110", "1150", "2100", "4530"};
constexpr std::array<const char*, 4> kSections{"I", "F", "E", "H"};
constexpr std::array<const char*, 4> kIndustry{"6510", "5191", "4710", "6210"};

// GB 11714 check character of an 8-character organisation code body.
char org_check(const std::string& body) {
    static constexpr std::array<int, 8> kWeights{3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (std::size_t pos = 0; pos < 8; ++pos) {
        const char c = body[pos];
        sum += (c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10) * kWeights[pos];
    }
    const int check = 11 - sum % 11;
    return check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);
}

void append_escaped(std::string& out, const std::string& text) {
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        default:
            out += c;
        }
    }
}

void append_field(std::string& out, const char* name, const std::string& value, bool nillable) {
    if (value.empty() && nillable) {
        out += "<r:";
        out += name;
        out += " xsi:nil=\"true\"/>";
        return;
    }
    out += "<r:";
    out += name;
    out += '>';
    append_escaped(out, value);
    out += "</r:";
    out += name;
    out += '>';
}

} // namespace

char uscc_check(const std::string& first17) {
    int sum = 0;
    for (std::size_t pos = 0; pos < 17; ++pos) {
        sum += static_cast<int>(kAlphabet.find(first17[pos])) * kUsccWeights[pos];
    }
    return kAlphabet[static_cast<std::size_t>((31 - sum % 31) % 31)];
}

std::int64_t number_of(const std::string& uscc) {
    // Issued codes are 91110105 + "M" + 7 digits + org check + USCC check.
    if (uscc.size() != 18 || uscc.compare(0, 9, "91110105M") != 0) {
        return 0;
    }
    std::int64_t number = 0;
    for (std::size_t pos = 9; pos < 16; ++pos) {
        if (uscc[pos] < '0' || uscc[pos] > '9') {
            return 0;
        }
        number = number * 10 + (uscc[pos] - '0');
    }
    return number;
}

Registration registration(std::int64_t number) {
    Registration out;
    char digits[16];
    std::snprintf(digits, sizeof digits, "%07lld", static_cast<long long>(number % 10000000));
    const std::string body = std::string("M") + digits;
    std::string uscc = "91110105" + body + org_check(body);
    uscc += uscc_check(uscc);
    if (number % 97 == 0) { // a typo a clerk made decades ago
        uscc.back() = uscc.back() == '0' ? '1' : '0';
    }
    out.tyshxydm = uscc;
    std::snprintf(digits, sizeof digits, "%09lld", static_cast<long long>(number));
    out.zch = std::string("110105") + digits;
    const auto pick = [number](std::size_t size, std::int64_t salt) {
        return static_cast<std::size_t>((number * 7919 + salt) % static_cast<std::int64_t>(size));
    };
    out.qymc = std::string("北京") + kWords[pick(10, 1)] + kWords[pick(10, 3)] +
               kTrades[pick(8, 5)] + "有限公司(" + std::to_string(number) + ")";
    out.ztlb = "01";
    out.qylx = kTypes[pick(4, 11)];
    out.fddbr = std::string(kSurnames[pick(6, 13)]) + kWords[pick(10, 17)];
    if (number % 50 != 0) {
        char capital[32];
        std::snprintf(capital, sizeof capital, "%lld.%04lld",
                      static_cast<long long>(10 + number % 5000),
                      static_cast<long long>((number * 37) % 10000));
        out.zczb = capital;
    }
    out.zczbbz = number % 20 == 0 ? "USD" : "CNY";
    const int year = 1995 + static_cast<int>(number % 28);
    const int month = 1 + static_cast<int>(number % 12);
    const int day = 1 + static_cast<int>(number % 28);
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
    out.clrq = number % 400 == 0 ? "1999-02-30" : date;
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", 2023, month, day);
    out.hzrq = date;
    out.jyzt = number % 13 == 0 ? "4" : "1";
    out.hydm = kIndustry[pick(4, 19)];
    out.hyml = kSections[pick(4, 19)];
    out.djjg = "北京市朝阳区市场监督管理局";
    out.zs = "北京市朝阳区示例路" + std::to_string(number % 300 + 1) + "号";
    out.jyfw =
        "技术开发、技术咨询;销售电子产品。(依法须经批准的项目,经相关部门批准后方可开展经营活动)";
    return out;
}

void append_record_xml(std::string& out, const Registration& record) {
    out += "<r:record>";
    append_field(out, "tyshxydm", record.tyshxydm, false);
    append_field(out, "zch", record.zch, true);
    append_field(out, "qymc", record.qymc, false);
    append_field(out, "ztlb", record.ztlb, true);
    append_field(out, "qylx", record.qylx, true);
    append_field(out, "fddbr", record.fddbr, true);
    append_field(out, "zczb", record.zczb, true);
    append_field(out, "zczbbz", record.zczbbz, true);
    append_field(out, "clrq", record.clrq, true);
    append_field(out, "hzrq", record.hzrq, true);
    append_field(out, "jyzt", record.jyzt, true);
    append_field(out, "hydm", record.hydm, true);
    append_field(out, "hyml", record.hyml, true);
    append_field(out, "djjg", record.djjg, true);
    append_field(out, "zs", record.zs, true);
    append_field(out, "jyfw", record.jyfw, true);
    out += "</r:record>";
}

} // namespace ferry::samples
