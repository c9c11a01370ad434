/** Load-balancing algorithms choosing a server for a request, HAProxy-compatible (same server for the same key). */
package io.berth.balance;
