/** Cookie persistence as HAProxy 2.6 does it: the {@code cookie} keywords, the Cookie/Set-Cookie codec, the
 * request-side server choice and the response-side insert, rewrite, prefix and deletion. */
package io.berth.persist.cookie;
