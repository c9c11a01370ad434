/** HAProxy's httplog and tcplog formats and the sinks (stdout, stderr, UDP syslog) they are written to. */
package io.berth.log;
