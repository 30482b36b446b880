# Sourced by bench/relay.sh and bench/conference.sh (after W, JAVA and CP are set): the RTP
# generator (C with sendmmsg/recvmmsg when gcc is here, leaving the CPU to the node; else the Java
# one) and how a process's CPU is read.
if command -v gcc >/dev/null && gcc -O2 -pthread -o "$W/rtpgen" bench/rtpgen.c; then
  GENERATOR=("$W/rtpgen"); GEN_NAME="C (sendmmsg/recvmmsg)"
else
  GENERATOR=("$JAVA" -Xms256m -Xmx1g -cp "$CP" bench/RelayBench.java gen); GEN_NAME="Java"
fi
cpu_ticks() { awk '{print $14 + $15}' /proc/"$1"/stat; }
HZ=$(getconf CLK_TCK)
