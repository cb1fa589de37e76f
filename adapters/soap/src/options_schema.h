// SPDX-License-Identifier: Apache-2.0
// options_schema.h — the JSON Schema of the SOAP adapter's options (docs/adapters/soap.md).
#pragma once

namespace ferry::soap {

inline constexpr const char* kOptionsSchema = R"schema({
  "type": "object",
  "additionalProperties": false,
  "required": ["wsdl"],
  "properties": {
    "wsdl": {"type": "string", "minLength": 1,
             "description": "A local WSDL file, or a URL on the endpoint's own host (e.g. http://host:port/svc?wsdl)"},
    "endpoint": {"type": "string", "pattern": "^https?://", "description": "Overrides the WSDL's soap:address"},
    "soap_version": {"enum": ["1.1", "1.2"]},
    "timeouts": {"type": "object", "additionalProperties": false, "properties": {
        "connect_ms": {"type": "integer", "minimum": 1}, "receive_ms": {"type": "integer", "minimum": 1}}},
    "retry": {"type": "object", "additionalProperties": false, "properties": {
        "max_attempts": {"type": "integer", "minimum": 1, "maximum": 100},
        "initial_ms": {"type": "integer", "minimum": 0}, "max_ms": {"type": "integer", "minimum": 0},
        "retryable_faults": {"type": "array", "items": {"type": "string"},
            "description": "fault codes retried besides the server-side ones (Server..., Receiver...), without namespace prefix"},
        "final_faults": {"type": "array", "items": {"type": "string"},
            "description": "fault codes never retried, server-side or not (e.g. Server.Database)"}}},
    "circuit_breaker": {"type": "object", "additionalProperties": false, "properties": {
        "failure_threshold": {"type": "integer", "minimum": 1},
        "cool_down_ms": {"type": "integer", "minimum": 0}}},
    "auth": {"type": "object", "additionalProperties": false, "properties": {
        "ws_security": {"type": "object", "additionalProperties": false, "required": ["username"],
            "properties": {"username": {"type": "string"}, "password": {"type": "string"},
                           "password_env": {"type": "string"},
                           "password_type": {"enum": ["text", "digest"]}}},
        "basic": {"type": "object", "additionalProperties": false, "required": ["username"],
            "properties": {"username": {"type": "string"}, "password": {"type": "string"},
                           "password_env": {"type": "string"}}}}},
    "tls": {"type": "object", "additionalProperties": false, "properties": {
        "certificate": {"type": "string"}, "private_key": {"type": "string"},
        "ca": {"type": "string"}, "verify": {"type": "boolean"}}},
    "limits": {"type": "object", "additionalProperties": false, "properties": {
        "max_depth": {"type": "integer", "minimum": 4, "maximum": 10000},
        "max_response_bytes": {"type": "integer", "minimum": 1024},
        "max_text_bytes": {"type": "integer", "minimum": 16}}},
    "datasets": {"type": "object", "additionalProperties": {
      "type": "object", "additionalProperties": false, "required": ["operation"],
      "properties": {
        "operation": {"type": "string"},
        "title": {"type": "string"},
        "record_path": {"type": "string", "description": "a/b/c below soap:Body: the record element (fields and page metadata are re-derived from the schema there); p:name uses namespaces"},
        "total_path": {"type": "string", "description": "a/b/c below soap:Body: the element holding the number of records the whole result has (a page's TotalCount); the stream is reconciled against it. Default: the page metadata element discovery recognises as the total"},
        "namespaces": {"type": "object", "additionalProperties": {"type": "string"}},
        "params": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
        "template": {"type": "string", "description": "soap:Body content with ${param} placeholders"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}, "description": "field name -> Ferry type: retypes a discovered field, or adds one (its element path below the record, a/b)"},
        "paging": {"type": "object", "additionalProperties": false, "required": ["kind"], "properties": {
            "kind": {"enum": ["none", "page", "token", "date_window"]},
            "page_param": {"type": "string"}, "size_param": {"type": "string"},
            "size": {"type": "integer", "minimum": 1}, "first": {"type": "integer"},
            "max_pages": {"type": "integer", "minimum": 1},
            "concurrency": {"type": "integer", "minimum": 1, "maximum": 32,
                "description": "page paging: requests in flight once the page's total or page count tells how many pages there are (default 4); records still arrive in page order"},
            "token_param": {"type": "string"}, "token_path": {"type": "string"},
            "token_field": {"type": "string"},
            "from_param": {"type": "string"}, "to_param": {"type": "string"},
            "start": {"type": "string", "format": "date"}, "end": {"type": "string", "format": "date"},
            "days": {"type": "integer", "minimum": 1}}},
        "lookup": {"type": "object", "additionalProperties": false, "required": ["operation", "param", "key"],
            "properties": {"operation": {"type": "string"}, "param": {"type": "string"},
                           "key": {"type": "string"}, "record_path": {"type": "string"}}}
      }}}
  }
})schema";

} // namespace ferry::soap
