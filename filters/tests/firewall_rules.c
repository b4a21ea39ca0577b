/* SPDX-License-Identifier: MIT */
/* Unit tests of filters/firewall/rules.c: what a rule may say and what it
 * refuses, and which rule a connection or datagram meets first. */
#include <check.h>
#include "run_suite.h"
#include <string.h>
#include "../firewall/rules.h"

static struct fw_rule parsed(const char *text)
{
    struct fw_rule rule;
    char why[128] = "";

    ck_assert_msg(fw_rule_parse(text, &rule, why, sizeof(why)), "%s: %s", text, why);
    return rule;
}

/* A connection of app.exe to TEXT (a numeric address) at PORT. */
static struct fw_traffic traffic(enum fw_direction direction, int protocol, const char *text,
                                 unsigned short port)
{
    struct fw_traffic t = { "app.exe", direction, protocol, { 0 }, port };
    struct net_prefix whole;

    ck_assert_msg(net_prefix_parse(text, &whole), "%s", text);
    t.address = whole.address;
    return t;
}

START_TEST(test_every_field)
{
    struct fw_rule r = parsed("deny process=App.EXE dir=out proto=udp addr=10.0.0.0/8 port=50-60");

    ck_assert_int_eq(r.action, FW_DENY);
    ck_assert_str_eq(r.process, "App.EXE");
    ck_assert_int_eq(r.direction, FW_OUT);
    ck_assert_int_eq(r.protocol, IPPROTO_UDP);
    ck_assert(r.has_address);
    ck_assert_int_eq(r.address.address.family, AF_INET);
    ck_assert_int_eq(r.address.bits, 8);
    ck_assert_int_eq(r.port_low, 50);
    ck_assert_int_eq(r.port_high, 60);
}
END_TEST

START_TEST(test_missing_fields_match_anything)
{
    struct fw_rule r = parsed("  allow\t ");

    ck_assert_int_eq(r.action, FW_ALLOW);
    ck_assert_str_eq(r.process, "");
    ck_assert_int_eq(r.direction, FW_ANY_DIRECTION);
    ck_assert_int_eq(r.protocol, 0);
    ck_assert(!r.has_address);
    ck_assert_int_eq(r.port_low, 0);
    ck_assert_int_eq(r.port_high, 65535);
}
END_TEST

static const char *const bad_rules[] = {
    "", "block", "Allow", "allow dir=up", "allow proto=icmp", "allow port=70000",
    "allow port=90-80", "allow port=-5", "allow port=", "allow port=8o", "allow port=1-2-3",
    "allow addr=10.0.0.0/33", "allow addr=::1/129", "allow addr=host.example",
    "allow addr=10.0.0.1/", "allow addr=10.0.0.1/+8", "allow addr=fe80::1%1",
    "allow dir=out dir=in", "allow colour=red", "allow port", "deny process=",
};

START_TEST(test_bad_rule_is_refused_with_a_reason)
{
    struct fw_rule rule;
    char why[128] = "";

    ck_assert_msg(!fw_rule_parse(bad_rules[_i], &rule, why, sizeof(why)), "%s", bad_rules[_i]);
    ck_assert_msg(why[0], "%s: no reason", bad_rules[_i]);
}
END_TEST

START_TEST(test_reasons_name_the_field)
{
    struct fw_rule rule;
    char why[128];

    fw_rule_parse("allow port=70000", &rule, why, sizeof(why));
    ck_assert_str_eq(why, "bad port '70000'");
    fw_rule_parse("allow dir=in dir=in", &rule, why, sizeof(why));
    ck_assert_str_eq(why, "field 'dir' given twice");
    fw_rule_parse("allow colour=red", &rule, why, sizeof(why));
    ck_assert_str_eq(why, "unknown field 'colour'");
    fw_rule_parse("permit", &rule, why, sizeof(why));
    ck_assert_str_eq(why, "does not start with allow or deny");
}
END_TEST

START_TEST(test_default_action)
{
    enum fw_action action;

    ck_assert(fw_action_parse("deny", &action) && action == FW_DENY);
    ck_assert(fw_action_parse("allow", &action) && action == FW_ALLOW);
    ck_assert(!fw_action_parse("block", &action));
    ck_assert(!fw_action_parse("", &action));
}
END_TEST

START_TEST(test_first_match_wins)
{
    struct fw_rule rules[] = {
        parsed("allow addr=10.1.0.0/16"),
        parsed("deny addr=10.0.0.0/8"),
        parsed("allow"),
    };
    struct fw_traffic inside = traffic(FW_OUT, IPPROTO_TCP, "10.1.2.3", 80);
    struct fw_traffic around = traffic(FW_OUT, IPPROTO_TCP, "10.2.0.1", 80);
    struct fw_traffic outside = traffic(FW_OUT, IPPROTO_TCP, "192.0.2.1", 80);

    ck_assert_int_eq(fw_rules_first_match(rules, 3, &inside), 0);
    ck_assert_int_eq(fw_rules_first_match(rules, 3, &around), 1);
    ck_assert_int_eq(fw_rules_first_match(rules, 3, &outside), 2);
    ck_assert_int_eq(fw_rules_first_match(rules, 2, &outside), -1);
}
END_TEST

START_TEST(test_prefixes_not_on_a_byte)
{
    struct fw_rule v4 = parsed("deny addr=172.16.0.0/12");
    struct fw_rule v6 = parsed("deny addr=2001:db8:8000::/33");
    struct fw_rule host = parsed("deny addr=192.0.2.7");
    struct fw_traffic t;

    t = traffic(FW_OUT, IPPROTO_TCP, "172.31.255.255", 1);
    ck_assert_int_eq(fw_rules_first_match(&v4, 1, &t), 0);
    t = traffic(FW_OUT, IPPROTO_TCP, "172.32.0.0", 1);
    ck_assert_int_eq(fw_rules_first_match(&v4, 1, &t), -1);
    t = traffic(FW_OUT, IPPROTO_TCP, "2001:db8:ffff::1", 1);
    ck_assert_int_eq(fw_rules_first_match(&v6, 1, &t), 0);
    t = traffic(FW_OUT, IPPROTO_TCP, "2001:db8:7fff::1", 1);
    ck_assert_int_eq(fw_rules_first_match(&v6, 1, &t), -1);
    t = traffic(FW_OUT, IPPROTO_TCP, "192.0.2.7", 1);
    ck_assert_int_eq(fw_rules_first_match(&host, 1, &t), 0);
    t = traffic(FW_OUT, IPPROTO_TCP, "192.0.2.6", 1);
    ck_assert_int_eq(fw_rules_first_match(&host, 1, &t), -1);
}
END_TEST

/* An IPv6 socket's connect to ::ffff:10.1.2.3 is one to 10.1.2.3. */
START_TEST(test_v4_mapped_meets_ipv4_rules)
{
    struct fw_rule v4 = parsed("deny addr=10.0.0.0/8");
    struct fw_rule mapped_rule = parsed("deny addr=::ffff:10.0.0.0/104");
    struct fw_rule v6_everything = parsed("deny addr=::/0");
    struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(443) };
    struct fw_traffic t = { "app.exe", FW_OUT, IPPROTO_TCP, { 0 }, 0 };

    inet_pton(AF_INET6, "::ffff:10.1.2.3", &to.sin6_addr);
    ck_assert(net_address_of((struct sockaddr *)&to, sizeof(to), &t.address, &t.port));
    ck_assert_int_eq(t.port, 443);
    ck_assert_int_eq(t.address.family, AF_INET);
    ck_assert_int_eq(fw_rules_first_match(&v4, 1, &t), 0);
    ck_assert_int_eq(fw_rules_first_match(&mapped_rule, 1, &t), 0);
    ck_assert_int_eq(fw_rules_first_match(&v6_everything, 1, &t), -1);
}
END_TEST

START_TEST(test_port_ranges)
{
    struct fw_rule range = parsed("deny port=1000-2000");
    struct fw_rule single = parsed("deny port=53");
    struct fw_traffic t = traffic(FW_OUT, IPPROTO_UDP, "::1", 0);
    static const struct { unsigned short port; int range, single; } cases[] = {
        { 999, -1, -1 }, { 1000, 0, -1 }, { 2000, 0, -1 }, { 2001, -1, -1 }, { 53, -1, 0 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        t.port = cases[i].port;
        ck_assert_int_eq(fw_rules_first_match(&range, 1, &t), cases[i].range);
        ck_assert_int_eq(fw_rules_first_match(&single, 1, &t), cases[i].single);
    }
}
END_TEST

START_TEST(test_process_direction_and_protocol)
{
    struct fw_rule rules[] = {
        parsed("deny process=APP.exe dir=in proto=udp"),
        parsed("deny process=other.exe"),
    };
    struct fw_traffic in_udp = traffic(FW_IN, IPPROTO_UDP, "192.0.2.1", 9);
    struct fw_traffic out_udp = traffic(FW_OUT, IPPROTO_UDP, "192.0.2.1", 9);
    struct fw_traffic in_tcp = traffic(FW_IN, IPPROTO_TCP, "192.0.2.1", 9);

    ck_assert_int_eq(fw_rules_first_match(rules, 2, &in_udp), 0);
    ck_assert_int_eq(fw_rules_first_match(rules, 2, &out_udp), -1);
    ck_assert_int_eq(fw_rules_first_match(rules, 2, &in_tcp), -1);
    in_udp.process = "app.exe.old";
    ck_assert_int_eq(fw_rules_first_match(rules, 2, &in_udp), -1);
    in_udp.process = "OTHER.EXE";
    ck_assert_int_eq(fw_rules_first_match(rules, 2, &in_udp), 1);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("filters_firewall_rules");
    TCase *parse = tcase_create("parse");
    TCase *match = tcase_create("match");

    tcase_add_test(parse, test_every_field);
    tcase_add_test(parse, test_missing_fields_match_anything);
    tcase_add_loop_test(parse, test_bad_rule_is_refused_with_a_reason, 0,
                        sizeof(bad_rules) / sizeof(bad_rules[0]));
    tcase_add_test(parse, test_reasons_name_the_field);
    tcase_add_test(parse, test_default_action);
    tcase_add_test(match, test_first_match_wins);
    tcase_add_test(match, test_prefixes_not_on_a_byte);
    tcase_add_test(match, test_v4_mapped_meets_ipv4_rules);
    tcase_add_test(match, test_port_ranges);
    tcase_add_test(match, test_process_direction_and_protocol);
    suite_add_tcase(suite, parse);
    suite_add_tcase(suite, match);
    return run_suite(suite);
}
