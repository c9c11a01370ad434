/** Live servers: address, weight, administrative and operational state, connection counts. */
package io.berth.server;
