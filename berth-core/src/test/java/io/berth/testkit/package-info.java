/** Test kit: real HTTP backends (Backends), Berth in process (BerthInstance), real HAProxy 2.6 (Haproxy), stats-socket client (RuntimeApi). */
package io.berth.testkit;
