package io.streamkit.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Publishes one FLV file to many streams at once, each in real time and looped: the load of a
 * recording benchmark ({@code sdk-bench/record.sh}), where a server records every stream it
 * is sent. One event loop sends all of them.
 *
 * <pre>
 * java -cp sdk-bench/target/benchmarks.jar io.streamkit.bench.load.PublishMany \
 *     rtmp://127.0.0.1:1935/rec 50 source.flv 60
 * </pre>
 *
 * <p>Streams are named {@code s0}, {@code s1}, ... under the URL's app. Prints one line when
 * every stream is publishing and one at the end with what was sent; exits 1 when a publish
 * failed to start or a connection failed during the run.
 */
public final class PublishMany {
    private PublishMany() {
    }

    /**
     * Runs the publishers.
     *
     * @param args the app's URL ({@code rtmp://host:port/app}), the number of streams, the FLV file, the seconds to run
     * @throws Exception when the file cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: PublishMany rtmp://host:port/app STREAMS FILE.flv SECONDS");
            System.exit(2);
        }
        URI app = URI.create(args[0]);
        int streams = Integer.parseInt(args[1]);
        FlvFile source = FlvFile.read(Path.of(args[2]));
        long seconds = Long.parseLong(args[3]);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        List<RtmpPublishHandler> publishers = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        int status = 0;
        try {
            for (int i = 0; i < streams; i++) {
                LoadTool.RtmpPath path = LoadTool.RtmpPath.of(URI.create(args[0] + "/s" + i));
                RtmpPublishHandler publisher = new RtmpPublishHandler(source, path.app(), path.tcUrl(), path.name(),
                        new SendTimes());
                publishers.add(publisher);
                int max = RtmpPublishHandler.MAX_QUEUED_BYTES;
                channels.add(new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(max / 2, max))
                        .handler(publisher)
                        .connect(app.getHost(), app.getPort() > 0 ? app.getPort() : 1935).channel());
            }
            for (RtmpPublishHandler p : publishers) {
                p.started().get(20, TimeUnit.SECONDS);
            }
            System.out.println("publishing " + streams + " streams of " + args[2] + " to " + args[0]);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                for (RtmpPublishHandler p : publishers) {
                    if (p.failure().isDone()) {
                        System.err.println("a publisher failed: " + p.failure().getNow(""));
                        status = 1;
                    }
                }
                if (status != 0) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            long bytes = 0;
            long late = 0;
            for (RtmpPublishHandler p : publishers) {
                bytes += p.bytes;
                late = Math.max(late, p.maxLateNanos);
            }
            System.out.printf("sent %d MB in %d s over %d streams (%.2f Mbps each); worst send %d ms late%n",
                    bytes >> 20, seconds, streams, bytes * 8.0 / seconds / streams / 1e6, late / 1_000_000);
        } finally {
            channels.forEach(Channel::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        System.exit(status);
    }
}
