package io.berth;

import io.berth.balance.BalanceKeywords;
import io.berth.config.GlobalKeywords;
import io.berth.config.KeywordRegistry;
import io.berth.config.PeersKeywords;
import io.berth.config.ProxyKeywords;
import io.berth.config.ServerKeywords;
import io.berth.config.TcpRequestKeywords;
import io.berth.health.HealthKeywords;
import io.berth.log.LogKeywords;
import io.berth.persist.cookie.CookieKeywords;
import io.berth.persist.stick.StickKeywords;

/**
 * Every subsystem's configuration keywords, listed explicitly (no classpath scanning): one line per subsystem.
 * The parser, {@code --list-keywords} and "did you mean" all read the registry built here. Called on the main
 * thread at start-up and on each reload; builds a fresh registry each time.
 */
public final class Subsystems {
    private Subsystems() {
    }

    public static KeywordRegistry keywords() {
        return new KeywordRegistry()
                .addAll(GlobalKeywords.keywords())
                .addAll(ProxyKeywords.keywords()).addAll(ServerKeywords.keywords())
                .addAll(TcpRequestKeywords.keywords())
                .addServerArguments(ServerKeywords.arguments())
                .addAll(PeersKeywords.keywords())
                .addAll(LogKeywords.keywords())
                .addAll(BalanceKeywords.keywords())
                .addAll(CookieKeywords.keywords())
                .addAll(StickKeywords.keywords())
                .addAll(HealthKeywords.keywords()).addServerArguments(HealthKeywords.serverArguments());
    }
}
