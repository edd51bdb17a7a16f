/**
 * Server-wide state the protocols share, such as the registry of connected clients that the
 * HTTP API lists and kicks. Internal to {@code io.streamkit.protocols}: not exported, no
 * compatibility promise.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>A client is a media connection (RTMP, HTTP-FLV, WebSocket-FLV), not every HTTP
 *       request: API and metrics calls come and go and are not worth listing.</li>
 *   <li>The registry holds a way to close each connection, not the channel, so it knows no
 *       transport; a kick closes the connection on its own event loop and the protocol's
 *       usual close path ends its publish or play.</li>
 *   <li>Players of a loop that flush one after the other with the same queued frames write
 *       one shared copy of them ({@code JoinedFrames}): batched players of one
 *       {@link io.streamkit.server.internal.WriteBatch} slot, and without batching all the
 *       players of a stream and form at the end of an engine batch. This is the one place
 *       payload bytes are copied after ingest (ARCHITECTURE.md rule 1). The copy is made once
 *       per slot and window (or per engine batch), never per player, and replaces two or
 *       three outbound entries or {@code iovec}s per frame per player with one buffer; with
 *       batching at 2,000 players it cut the server's CPU by 46 %. Players whose queues
 *       differ (a new player, a paused one, another stream or form) write the shared leaves
 *       without a copy.</li>
 *   <li>On epoll, a player's flush goes straight to its socket ({@code SocketWrite}): one
 *       {@code send} of the shared copy or one {@code writev} of the leaves, from the
 *       buffers' memory addresses, past the pipeline and the outbound buffer, whenever that
 *       buffer is empty; what the socket does not take is handed to the channel, which from
 *       then on writes everything until it has drained, so bytes never overtake each other.
 *       Decision: Netty's write path (pipeline walks, outbound entries, duplicates) cost as
 *       much CPU as the system calls without batching; going past it took the server from
 *       0.75x to 1.3x nginx-rtmp's delivered bits per CPU-second in steady state at 1,000
 *       players. The idle handler is told of these writes, as it cannot see them.</li>
 *   <li>Every player has a timeline of its own ({@code PlayerTimeline}): its first frame at 0,
 *       the stream's spacing after it; absolute time (the stream's clock) is a protocol option.
 *       What a player writes depends on its timeline, and encode once stays true by keeping
 *       the time out of the shared bytes wherever the format allows: an RTMP frame goes with a
 *       type-1 header whose timestamp is a delta, the same for every player in step, so in
 *       steady state all players of a stream share every frame's form whenever they joined;
 *       FLV tags carry absolute timestamps, so a tag is shared by the players that started at
 *       the same keyframe (the time is part of a form's identity in {@code SharedEncoding}),
 *       and a tag for another timeline costs a small header buffer, the payload slice being the
 *       same memory. Rejected: a header per player per frame (a write per player that shared
 *       copies avoid) and quantised origins (a first frame must be at 0).</li>
 *   <li>A connection that neither reads nor writes for its idle timeout, or whose channel
 *       stays unwritable that long although the server writes (a dead peer's full socket), is
 *       closed ({@code IdleTimeoutHandler}): skipping a stalled player's frames alone would
 *       keep its subscription for the minutes TCP retransmits.</li>
 *   <li>What a peer makes the server hold is bounded by what it sent, never by what it declared
 *       ({@code MemoryBudget}): bytes of unfinished inbound messages are reserved, at the
 *       capacity of the buffers that hold them and before those grow, against three shares,
 *       the connection's, its client address's and the server's. Player backlogs are not in
 *       that budget: a player's unsent bytes stop at the write-buffer high mark (8 MiB), past
 *       which it skips to the next keyframe, and they are the stream's frames, which every
 *       player of the stream on a loop shares; counted per player they would be counted once
 *       per player, and the memory they pin is a stream's recent frames, bounded per stream.</li>
 *   <li>A connection is admitted once its client's address is known ({@code ConnectionGate}):
 *       limits in total and per address, so a single address cannot fill a listener.</li>
 *   <li>Clients' mistakes are logged once per connection, through one token bucket per server
 *       ({@code ClientLog}); the lines it drops are counted as a metric. Logs are an attack
 *       surface too: a flood of bad clients must not fill a disk.</li>
 *   <li>Behind a load balancer the PROXY protocol header is read before anything else
 *       ({@code ProxyProtocolHandler}, Netty's decoder), and the connection is admitted through
 *       the {@code ConnectionGate} only when the header has named the client; the protocol's
 *       pipeline is built after that and sees {@code channelActive} then, so every handler
 *       reads the client's address once, when it is added, and never sees the proxy's. A
 *       connection waiting for its header counts against no limit: it holds at most the
 *       header's bytes and only until the listener's first deadline. Rejected: admitting under
 *       the proxy's address first and moving the count (every client would share the proxy's
 *       per-address share until then), and trusting a header from any peer when the option
 *       is off (a direct client could name any address).</li>
 * </ul>
 */
package io.streamkit.server.internal;
