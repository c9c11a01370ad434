/** HAProxy's key hash functions (sdbm, djb2, wt6, crc32) and its avalanche mixer, bit-exact over unsigned 32 bits. */
package io.berth.balance.hash;
