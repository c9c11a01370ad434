/** HTTP/2 on the frontend: streams translated to the HTTP/1.1 transaction that talks to servers. */
package io.berth.proxy.http2;
