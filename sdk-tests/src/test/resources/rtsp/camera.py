#!/usr/bin/python3
"""A stand-in IP camera for the RTSP pull tests: GStreamer's RTSP server (gst-rtsp-server, through
its Python bindings) serving a live 320x240 25 fps H.264 test pattern (1 s GOP, no B-frames, as
cameras send) and 44.1 kHz mono AAC at rtsp://127.0.0.1:PORT/cam. Runs until killed.

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
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=25/1"
    " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 bframes=0"
    " ! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=-1"
    "  audiotestsrc is-live=true wave=sine ! audio/x-raw,rate=44100,channels=1"
    " ! voaacenc bitrate=64000 ! rtpmp4gpay name=pay1 pt=97 )")
factory.set_shared(True)
server.get_mount_points().add_factory("/cam", factory)
if server.attach(None) == 0:
    sys.exit("cannot listen on port " + port)
print("camera at rtsp://127.0.0.1:%s/cam" % port, flush=True)
GLib.MainLoop().run()
