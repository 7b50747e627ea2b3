// WebTorrent imports WebRTC classes at load time (through simple-peer); the peers benchmark runs
// it over TCP only, so any attempt to make a WebRTC connection is a mistake of the setup.
class NoWebRTC {
  constructor () {
    throw new Error('WebRTC is not available in the bitswarm bench (webtorrent runs over TCP only)')
  }
}

export const RTCPeerConnection = NoWebRTC
export const RTCSessionDescription = NoWebRTC
export const RTCIceCandidate = NoWebRTC
export default { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate }
