/** Health checks: check scheduling on the event loops, TCP and HTTP probes, and the server health state machine. */
package io.berth.health;
