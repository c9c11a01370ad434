/** Stick tables (a compact, striped, bounded table with HAProxy's eviction and rates) and the stick rules. */
package io.berth.persist.stick;
