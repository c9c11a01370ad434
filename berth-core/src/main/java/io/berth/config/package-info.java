/** Configuration text to immutable model: lexer, section reader, keyword registry, diagnostics with file:line. */
package io.berth.config;
