/** Binds every frontend address, owns the event loops and hands each accepted connection to its mode's handler. */
package io.berth.proxy.listen;
