package io.berth.api;

import java.util.List;

/**
 * The type tags of {@code show stat typed|json} and {@code show info typed|json}: per field and object type
 * (frontend, backend, server) its origin, nature and scope letters and its value type, as HAProxy 2.6.12 prints
 * them (captured from its {@code show stat typed} / {@code show info typed}: interchange data, like the CSV
 * header). Empty where HAProxy never fills the field for that object type. Immutable.
 */
final class StatTypes {
    private StatTypes() {
    }

    /** Frontend fields by CSV position: {@code tags:type}. */
    static final List<String> FRONTEND = List.of((""
            + "KNS:str,KNS:str,,,MGP:u32,MMP:u32,CLP:u32,MCP:u64,"
            + "MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,,,,"
            + ",SGP:str,,,,,,,"
            + ",,KGP:u32,KGS:u32,KGS:u32,,,,"
            + "CGS:u32,MRP:u32,CLP:u32,MMP:u32,,,,MCP:u64,"
            + "MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,,MRP:u32,MMP:u32,"
            + "MCP:u64,,,MCP:u64,MCP:u64,MCP:u64,MCP:u64,,"
            + ",,,,,,,,"
            + ",,,,,,,,"
            + ",,,CGS:str,,MRP:u32,MMP:u32,MCP:u64,"
            + "MCP:u64,MCP:u64,MCP:u64,MCP:u64,,,MCP:u64,MCP:u64,"
            + ",,,,,,MCP:u64,,"
            + ",,,,,,,MCP:u64,"
            + "MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,"
            + "MCP:u64,MCP:u64,MCP:u64,MGP:u64,MGP:u64,MCP:u64,MCP:u64,MGP:u64,"
            + "MGP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,").split(",", -1));

    static final List<String> BACKEND = List.of((""
            + "KNS:str,KNS:str,MGP:u32,MMP:u32,MGP:u32,MMP:u32,CLP:u32,MCP:u64,"
            + "MCP:u64,MCP:u64,MCP:u64,MCP:u64,,MCP:u64,MCP:u64,MCP:u64,"
            + "MCP:u64,SGP:str,MaP:u32,MGP:u32,MGP:u32,,MCP:u64,MAP:u32,"
            + "MCP:u32,,KGP:u32,KGS:u32,KGS:u32,,MCP:u64,,"
            + "CGS:u32,MGP:u32,,MGP:u32,,,,MCP:u64,"
            + "MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,,,,"
            + "MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MAP:s32,"
            + ",,MaP:u32,MaP:u32,MaP:u32,MaP:u32,,,"
            + ",,,,,,,,"
            + ",,,CGS:str,CGS:str,,,,"
            + ",,,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,"
            + ",,MMP:u32,MMP:u32,MMP:u32,MMP:u32,MCP:u64,,"
            + ",,,MaP:u32,MGP:u32,MGP:u32,MGP:u32,MCP:u64,"
            + "MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,"
            + "MCP:u64,MCP:u64,MCP:u64,MGP:u64,MGP:u64,MCP:u64,MCP:u64,MGP:u64,"
            + "MGP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,").split(",", -1));

    static final List<String> SERVER = List.of((""
            + "KNS:str,KNS:str,MGP:u32,MMP:u32,MGP:u32,MMP:u32,,MCP:u64,"
            + "MCP:u64,MCP:u64,,MCP:u64,,MCP:u64,MCP:u64,MCP:u64,"
            + "MCP:u64,SGP:str,MaP:u32,SGP:u32,SGP:u32,MCP:u64,MCP:u64,MAP:u32,"
            + "MCP:u32,,KGP:u32,KGS:u32,KGS:u32,,MCP:u64,,"
            + "CGS:u32,MRP:u32,,MMP:u32,MOP:str,,MDP:u64,MCP:u64,"
            + "MCP:u64,MCP:u64,MCP:u64,MCP:u64,MCP:u64,,,,"
            + "MCP:u64,MCP:u64,MCP:u64,,,,,MAP:s32,"
            + "MOP:str,,MaP:u32,MaP:u32,MaP:u32,MaP:u32,,,"
            + ",MOP:str,,CGS:u32,CGS:u32,CGS:u32,,,"
            + ",CGS:str,,CGS:str,,,,,"
            + ",,,MCP:u64,MCP:u64,MCP:u64,,,"
            + "MGP:u32,,MMP:u32,MMP:u32,MMP:u32,MMP:u32,MCP:u64,MGP:u32,"
            + "MGP:u32,MGP:u32,MGP:u32,MaP:u32,,,,MCP:u64,"
            + "MCP:u64,MCP:u64,,,,,,,"
            + ",,,,,,,,"
            + ",,,,,,,").split(",", -1));

    /** {@code show info} fields in order: {@code name=position:tags:type} (HAProxy numbers skip empty fields). */
    static final List<String> INFO = List.of((""
            + "Name=0:POS:str;Version=1:POS:str;Release_date=2:POS:str;Nbthread=3:CGS:u32;Nbproc=4:CGS:u32;Process_num=5:KGP:u32;"
            + "Pid=6:SGP:u32;Uptime=7:MDP:str;Uptime_sec=8:MDP:u32;Memmax_MB=9:CLP:u32;PoolAlloc_MB=10:MGP:u32;PoolUsed_MB=11:MGP:u32;"
            + "PoolFailed=12:MCP:u32;Ulimit-n=13:CLP:u32;Maxsock=14:CLP:u32;Maxconn=15:CLP:u32;Hard_maxconn=16:CLP:u32;CurrConns=17:MGP:u32;"
            + "CumConns=18:MCP:u32;CumReq=19:MCP:u32;MaxSslConns=20:MMP:u32;CurrSslConns=21:MGP:u32;CumSslConns=22:MCP:u32;Maxpipes=23:CLP:u32;"
            + "PipesUsed=24:MGP:u32;PipesFree=25:MGP:u32;ConnRate=26:MRP:u32;ConnRateLimit=27:CLP:u32;MaxConnRate=28:MMP:u32;SessRate=29:MRP:u32;"
            + "SessRateLimit=30:CLP:u32;MaxSessRate=31:MRP:u32;SslRate=32:MRP:u32;SslRateLimit=33:CLP:u32;MaxSslRate=34:MMP:u32;SslFrontendKeyRate=35:MGP:u32;"
            + "SslFrontendMaxKeyRate=36:MMP:u32;SslFrontendSessionReuse_pct=37:MGP:u32;SslBackendKeyRate=38:MRP:u32;SslBackendMaxKeyRate=39:MMP:u32;SslCacheLookups=40:MCP:u32;SslCacheMisses=41:MCP:u32;"
            + "CompressBpsIn=42:MRP:u32;CompressBpsOut=43:MRP:u32;CompressBpsRateLim=44:CLP:u32;Tasks=47:MGP:u32;Run_queue=48:MGP:u32;Idle_pct=49:MaP:u32;"
            + "node=50:COS:str;Stopping=52:MGP:u32;Jobs=53:MGP:u32;Unstoppable Jobs=54:MGP:u32;Listeners=55:MGP:u32;ActivePeers=56:MGP:u32;"
            + "ConnectedPeers=57:MGP:u32;DroppedLogs=58:MGP:u32;BusyPolling=59:MGP:u32;FailedResolutions=60:MGP:u32;TotalBytesOut=61:MGP:u64;TotalSplicdedBytesOut=62:MGP:u64;"
            + "BytesOutRate=63:MRP:u64;DebugCommandsIssued=64:MGP:u32;CumRecvLogs=65:MCP:u32;Build info=66:POS:str;Memmax_bytes=67:CLP:u32;PoolAlloc_bytes=68:MGP:u64;"
            + "PoolUsed_bytes=69:MGP:u64;Start_time_sec=70:MDP:u32;Tainted=71:SGP:str").split(";", -1));
}
