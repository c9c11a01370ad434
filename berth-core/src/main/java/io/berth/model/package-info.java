/** Immutable records describing one parsed configuration; no behaviour, no I/O. */
package io.berth.model;
