#!/usr/bin/python3
"""A stand-in IP camera for the RTSP pull tests: GStreamer's RTSP server (gst-rtsp-server, through
its Python bindings) serving a live 320x240 25 fps H.264 test pattern (1 s GOP, no B-frames, as
cameras send) with
  /cam   44.1 kHz mono AAC in RFC 3640's mpeg4-generic (rtpmp4gpay),
  /latm  44.1 kHz mono AAC in RFC 6416's MP4A-LATM (rtpmp4apay, as many cameras send it),
  /g711  8 kHz mono G.711 mu-law on its static payload type 0 (rtppcmupay, as most cameras send),
at rtsp://127.0.0.1:PORT/<mount>, over TCP or UDP as the client asks. Runs until killed.

usage: camera.py PORT
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
port = sys.argv[1]
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
VIDEO = ("videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=25/1"
         " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 bframes=0"
         " ! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=-1")
AUDIO = {
    "/cam": "audiotestsrc is-live=true wave=sine ! audio/x-raw,rate=44100,channels=1"
            " ! voaacenc bitrate=64000 ! rtpmp4gpay name=pay1 pt=97",
    "/latm": "audiotestsrc is-live=true wave=sine ! audio/x-raw,rate=44100,channels=1"
             " ! voaacenc bitrate=64000 ! rtpmp4apay name=pay1 pt=97",
    "/g711": "audiotestsrc is-live=true wave=sine ! audio/x-raw,rate=8000,channels=1"
             " ! mulawenc ! rtppcmupay name=pay1 pt=0",
}
for mount, audio in AUDIO.items():
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch("( " + VIDEO + "  " + audio + " )")
    factory.set_shared(True)
    server.get_mount_points().add_factory(mount, factory)
if server.attach(None) == 0:
    sys.exit("cannot listen on port " + port)
print("camera at rtsp://127.0.0.1:%s/cam, /latm, /g711" % port, flush=True)
GLib.MainLoop().run()
