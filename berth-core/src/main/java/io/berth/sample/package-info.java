/** Sample fetches, converters, ACL matchers, conditions and log-format strings: compiled once, shared by all rules. */
package io.berth.sample;
