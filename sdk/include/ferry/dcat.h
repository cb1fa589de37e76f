// SPDX-License-Identifier: Apache-2.0
// ferry/dcat.h — catalog dataset metadata exported as DCAT-AP 3 JSON-LD (placeholder).
#pragma once
