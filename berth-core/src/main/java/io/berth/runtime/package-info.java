/** The live objects built from one Config (backends, servers, balancers, compiled rules) and reloads between them. */
package io.berth.runtime;
