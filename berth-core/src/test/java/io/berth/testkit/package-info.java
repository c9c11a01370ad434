/** Test kit: real HTTP backends on 127.0.0.1 (Backends), Berth in process from a config text (BerthInstance). */
package io.berth.testkit;
