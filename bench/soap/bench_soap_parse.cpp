// SPDX-License-Identifier: Apache-2.0
// bench_soap_parse.cpp — the SOAP adapter's streaming parser alone: a generated response of
// --megabytes MB (records of the sample registry's shape, produced chunk by chunk so the input
// never sits in memory) through XmlReader + ResponseParser into batches of 4096 records.
// Prints one JSON line: records, megabytes, seconds, records_per_s, mb_per_s, peak_rss_mib.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/resource.h>

#include "ferry/batch_builder.h"

#include "response_parser.h"
#include "type_mapping.h"

using namespace ferry::soap;

namespace {

RecordField column(const char* name, const char* xsd, ferry::soap::Facets facets = {}) {
    RecordField field;
    field.name = name;
    field.path = {name};
    map_builtin_type(xsd, facets, field);
    return field;
}

std::string record_xml(long number) {
    char text[1024];
    std::snprintf(
        text, sizeof text,
        "<r:record><r:tyshxydm>91110105M%07ld0X</r:tyshxydm><r:zch>110105%09ld</r:zch>"
        "<r:qymc>北京华信物流有限公司(%ld)</r:qymc><r:ztlb>01</r:ztlb><r:qylx>2100</r:qylx>"
        "<r:fddbr>王恒</r:fddbr><r:zczb>%ld.%04ld</r:zczb><r:zczbbz>CNY</r:zczbbz>"
        "<r:clrq>1996-02-%02ld</r:clrq><r:hzrq>2023-02-02</r:hzrq><r:jyzt>1</r:jyzt>"
        "<r:hydm>4710</r:hydm><r:hyml>E</r:hyml><r:djjg>北京市朝阳区市场监督管理局</r:djjg>"
        "<r:zs>北京市朝阳区示例路%ld号</r:zs><r:jyfw>技术开发、技术咨询;销售电子产品。</r:jyfw>"
        "</r:record>",
        number % 10000000, number, number, 10 + number % 5000, (number * 37) % 10000,
        1 + number % 28, number % 300 + 1);
    return text;
}

} // namespace

int main(int argc, char** argv) {
    double megabytes = 100;
    for (int index = 1; index + 1 < argc; index += 2) {
        if (std::strcmp(argv[index], "--megabytes") == 0) {
            megabytes = std::atof(argv[index + 1]);
        }
    }
    const auto target = static_cast<std::int64_t>(megabytes * 1024 * 1024);
    ResponseLayout layout;
    layout.record_path = {{"", "QueryEnterprisesResponse"}, {"", "records"}, {"", "record"}};
    ferry::soap::Facets wan_yuan;
    wan_yuan.total_digits = 16;
    wan_yuan.fraction_digits = 4;
    for (const char* name : {"tyshxydm", "zch", "qymc", "ztlb", "qylx", "fddbr"}) {
        layout.fields.push_back(column(name, "string"));
    }
    layout.fields.push_back(column("zczb", "decimal", wan_yuan));
    layout.fields.push_back(column("zczbbz", "string"));
    layout.fields.push_back(column("clrq", "date"));
    layout.fields.push_back(column("hzrq", "date"));
    for (const char* name : {"jyzt", "hydm", "hyml", "djjg", "zs", "jyfw"}) {
        layout.fields.push_back(column(name, "string"));
    }
    std::vector<ferry::Field> fields;
    for (const RecordField& field : layout.fields) {
        fields.push_back({field.name, field.type, true});
    }

    // The generator: envelope head, records until the target size, envelope tail.
    std::string pending =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "
        "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:r=\"urn:ferry:sample:legacy-registry\"><soapenv:Body><r:QueryEnterprisesResponse>"
        "<r:total>0</r:total><r:records>";
    std::size_t offset = 0;
    std::int64_t produced = 0;
    long next_record = 1;
    bool closed = false;
    auto read = [&](char* buffer, std::size_t size) -> ferry::Result<std::size_t> {
        while (pending.size() - offset < size && !closed) {
            pending.erase(0, offset);
            offset = 0;
            if (produced >= target) {
                pending +=
                    "</r:records></r:QueryEnterprisesResponse></soapenv:Body></soapenv:Envelope>";
                closed = true;
            } else {
                const std::string record = record_xml(next_record++);
                produced += static_cast<std::int64_t>(record.size());
                pending += record;
            }
        }
        const std::size_t count = std::min(size, pending.size() - offset);
        std::memcpy(buffer, pending.data() + offset, count);
        offset += count;
        return count;
    };

    const auto started = std::chrono::steady_clock::now();
    auto reader = XmlReader::open(read, "generated response", XmlLimits{});
    if (!reader.ok()) {
        std::fprintf(stderr, "%s\n", reader.status().to_string().c_str());
        return 1;
    }
    ResponseParser parser(layout, std::move(*reader));
    ferry::BatchBuilder out(ferry::Schema(fields), 4096);
    std::int64_t records = 0;
    std::int64_t rejected = 0;
    const std::string location = "bench";
    while (true) {
        auto more = parser.next_record();
        if (!more.ok()) {
            std::fprintf(stderr, "%s\n", more.status().to_string().c_str());
            return 1;
        }
        if (!*more) {
            break;
        }
        if (!parser.emit(out, ++records, location).ok()) {
            return 1;
        }
        if (out.full()) {
            rejected += out.num_rejects();
            FerryBatch batch{};
            if (!out.finish(&batch).ok()) {
                return 1;
            }
            batch.release(&batch);
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double mb = static_cast<double>(parser.reader().bytes_read()) / (1024.0 * 1024.0);
    // CPU time as well: on a shared machine the wall clock also measures the neighbours.
    const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    std::printf("{\"records\": %lld, \"rejected\": %lld, \"megabytes\": %.1f, \"seconds\": %.3f, "
                "\"cpu_seconds\": %.3f, \"records_per_s\": %.0f, \"mb_per_s\": %.1f, "
                "\"mb_per_cpu_s\": %.1f, \"peak_rss_mib\": %ld}\n",
                static_cast<long long>(records), static_cast<long long>(rejected), mb, seconds, cpu,
                static_cast<double>(records) / seconds, mb / seconds, mb / cpu,
                usage.ru_maxrss / 1024);
    return 0;
}
