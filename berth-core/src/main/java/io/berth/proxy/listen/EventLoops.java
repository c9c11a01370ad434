package io.berth.proxy.listen;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The event loops of the data plane and the channel classes that go with them: native epoll when
 * {@link Epoll#isAvailable()}, NIO otherwise. One group serves both accepting and I/O; a frontend connection and
 * the backend connections it opens run on the same loop, so a request never crosses threads. Owned by
 * {@link ProxyServer}; created and shut down on the caller's thread.
 */
public final class EventLoops {
    private final EventLoopGroup group;
    private final boolean epoll;

    private EventLoops(EventLoopGroup group, boolean epoll) {
        this.group = group;
        this.epoll = epoll;
    }

    /** @param threads number of event loops; 0 or less means one per available core */
    public static EventLoops create(int threads) {
        int n = threads > 0 ? threads : java.lang.Runtime.getRuntime().availableProcessors();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new EventLoops(new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("berth-loop", true), factory),
                epoll);
    }

    public EventLoopGroup group() {
        return group;
    }

    public boolean isEpoll() {
        return epoll;
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client socket class to use for backend connections (must match the loops' transport). */
    public Class<? extends SocketChannel> socketChannelClass() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public void shutdown(Duration quietPeriod) {
        group.shutdownGracefully(0, Math.max(quietPeriod.toMillis(), 100), TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
