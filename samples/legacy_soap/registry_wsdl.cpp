// SPDX-License-Identifier: Apache-2.0
// registry_wsdl.cpp — the WSDL text; field names follow the registry's legacy pinyin columns.
#include "registry_wsdl.h"

namespace ferry::samples {

namespace {

constexpr const char* kWsdl = R"wsdl(<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:r="urn:ferry:sample:legacy-registry"
    targetNamespace="urn:ferry:sample:legacy-registry" name="LegacyEnterpriseRegistry">
  <wsdl:documentation>企业登记信息查询服务 (sample legacy market-supervision registry)</wsdl:documentation>
  <wsdl:types>
    <xs:schema targetNamespace="urn:ferry:sample:legacy-registry" elementFormDefault="qualified">
      <xs:simpleType name="WanYuan">
        <xs:restriction base="xs:decimal"><xs:totalDigits value="16"/><xs:fractionDigits value="4"/></xs:restriction>
      </xs:simpleType>
      <xs:complexType name="Registration">
        <xs:sequence>
          <xs:element name="tyshxydm" type="xs:string"/>
          <xs:element name="zch" type="xs:string" nillable="true"/>
          <xs:element name="qymc" type="xs:string"/>
          <xs:element name="ztlb" type="xs:string" nillable="true"/>
          <xs:element name="qylx" type="xs:string" nillable="true"/>
          <xs:element name="fddbr" type="xs:string" nillable="true"/>
          <xs:element name="zczb" type="r:WanYuan" nillable="true"/>
          <xs:element name="zczbbz" type="xs:string" nillable="true"/>
          <xs:element name="clrq" type="xs:date" nillable="true"/>
          <xs:element name="hzrq" type="xs:date" nillable="true"/>
          <xs:element name="jyzt" type="xs:string" nillable="true"/>
          <xs:element name="hydm" type="xs:string" nillable="true"/>
          <xs:element name="hyml" type="xs:string" nillable="true"/>
          <xs:element name="djjg" type="xs:string" nillable="true"/>
          <xs:element name="zs" type="xs:string" nillable="true"/>
          <xs:element name="jyfw" type="xs:string" nillable="true"/>
        </xs:sequence>
      </xs:complexType>
      <xs:element name="QueryEnterprises">
        <xs:complexType><xs:sequence>
          <xs:element name="pageNo" type="xs:int"/>
          <xs:element name="pageSize" type="xs:int"/>
        </xs:sequence></xs:complexType>
      </xs:element>
      <xs:element name="QueryEnterprisesResponse">
        <xs:complexType><xs:sequence>
          <xs:element name="total" type="xs:long"/>
          <xs:element name="records">
            <xs:complexType><xs:sequence>
              <xs:element name="record" type="r:Registration" minOccurs="0" maxOccurs="unbounded"/>
            </xs:sequence></xs:complexType>
          </xs:element>
        </xs:sequence></xs:complexType>
      </xs:element>
      <xs:element name="GetEnterprise">
        <xs:complexType><xs:sequence><xs:element name="tyshxydm" type="xs:string"/></xs:sequence></xs:complexType>
      </xs:element>
      <xs:element name="GetEnterpriseResponse">
        <xs:complexType><xs:sequence>
          <xs:element name="record" type="r:Registration" minOccurs="0" nillable="true"/>
        </xs:sequence></xs:complexType>
      </xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="QueryEnterprisesIn"><wsdl:part name="parameters" element="r:QueryEnterprises"/></wsdl:message>
  <wsdl:message name="QueryEnterprisesOut"><wsdl:part name="parameters" element="r:QueryEnterprisesResponse"/></wsdl:message>
  <wsdl:message name="GetEnterpriseIn"><wsdl:part name="parameters" element="r:GetEnterprise"/></wsdl:message>
  <wsdl:message name="GetEnterpriseOut"><wsdl:part name="parameters" element="r:GetEnterpriseResponse"/></wsdl:message>
  <wsdl:portType name="RegistryPortType">
    <wsdl:operation name="QueryEnterprises">
      <wsdl:input message="r:QueryEnterprisesIn"/><wsdl:output message="r:QueryEnterprisesOut"/>
    </wsdl:operation>
    <wsdl:operation name="GetEnterprise">
      <wsdl:input message="r:GetEnterpriseIn"/><wsdl:output message="r:GetEnterpriseOut"/>
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="RegistryBinding" type="r:RegistryPortType">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="QueryEnterprises">
      <soap:operation soapAction="urn:ferry:sample:legacy-registry#QueryEnterprises"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="GetEnterprise">
      <soap:operation soapAction="urn:ferry:sample:legacy-registry#GetEnterprise"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="LegacyEnterpriseRegistry">
    <wsdl:port name="RegistryPort" binding="r:RegistryBinding">
      <soap:address location="@ADDRESS@"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
)wsdl";

} // namespace

std::string registry_wsdl(const std::string& address) {
    std::string out = kWsdl;
    const std::string marker = "@ADDRESS@";
    out.replace(out.find(marker), marker.size(), address);
    return out;
}

} // namespace ferry::samples
