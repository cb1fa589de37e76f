// SPDX-License-Identifier: Apache-2.0
// registry_data.h — the sample enterprise registry's records: deterministic, synthetic, and
// dirty in the ways real registries are (wrong check characters, missing capital, impossible
// dates), so a reader shows its rejects and validity flags.
#pragma once

#include <cstdint>
#include <string>

namespace ferry::samples {

/// One registration as the legacy registry stores it (pinyin-abbreviated field names, capital
/// in 万元 with four decimals, as old market-supervision systems keep it).
struct Registration {
    std::string tyshxydm; ///< USCC (统一社会信用代码)
    std::string zch;      ///< legacy 15-digit registration number
    std::string qymc;     ///< name
    std::string ztlb;     ///< entity category (主体类别)
    std::string qylx;     ///< enterprise type (企业类型)
    std::string fddbr;    ///< legal representative
    std::string zczb;     ///< registered capital, 万元, "" when not recorded (xsi:nil)
    std::string zczbbz;   ///< currency
    std::string clrq;     ///< established
    std::string hzrq;     ///< approved
    std::string jyzt;     ///< operating status
    std::string hydm;     ///< industry code
    std::string hyml;     ///< industry section
    std::string djjg;     ///< registration authority
    std::string zs;       ///< address
    std::string jyfw;     ///< business scope
};

/// Record `number` (1-based). Every 97th carries a USCC with a wrong check character, every
/// 50th has no capital, every 400th an impossible establishment date (1999-02-30).
Registration registration(std::int64_t number);

/// GB 32100 check character for the first 17 characters.
char uscc_check(const std::string& first17);

/// Appends one <record> element (namespace prefix "r") to `out`.
void append_record_xml(std::string& out, const Registration& record);

/// The number behind a USCC this registry issued, or 0.
std::int64_t number_of(const std::string& uscc);

} // namespace ferry::samples
