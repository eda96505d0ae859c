package dev.posgate.iso8583.tlv;

/**
 * The tags of protocol.md section 3, with {@link #isConstructed(int)} (the protocol declares DF30, DF31
 * and DF40 constructed although the BER constructed bit of their first byte {@code DF} is clear) and
 * {@link #name(int)} for logs and error messages.
 */
public final class Tags {
    /** DF01: vendor id, ans..16. */
    public static final int VENDOR_ID = 0xDF01;
    /** DF02: terminal model id, ans..16. */
    public static final int TERMINAL_MODEL_ID = 0xDF02;
    /** DF03: terminal hardware serial (SN), ans..32. */
    public static final int SERIAL_NUMBER = 0xDF03;
    /** DF04: PIN pad serial (SNpinpad; absent when internal), ans..32. */
    public static final int PINPAD_SERIAL_NUMBER = 0xDF04;
    /** DF05: supported TMS protocol version, n2 as 1 byte binary. */
    public static final int TMS_PROTOCOL_VERSION = 0xDF05;
    /** DF06: PIN pad key index, 1 byte. */
    public static final int PINPAD_KEY_INDEX = 0xDF06;
    /** DF10: T_DATA: terminal random (4) + date-time YYMMDDhhmmss BCD (6). */
    public static final int T_DATA = 0xDF10;
    /**
     * Key family of a K-flow request (posgate extension, docs/kms.md "K-flow with SM2"): 1 byte,
     * {@code 01} RSA/TDES (also when absent), {@code 02} SM2/SM4.
     */
    public static final int KEY_FAMILY = 0xDF07;
    /** DF11: S_DATA: TMS random (4) + date-time BCD (6). */
    public static final int S_DATA = 0xDF11;
    /** DF12: TAC, 4 bytes. */
    public static final int TAC = 0xDF12;
    /** DF13: SAC, 4 bytes. */
    public static final int SAC = 0xDF13;
    /** DF14: DWK under DMK (DWK_1), 16 bytes. */
    public static final int DWK_UNDER_DMK = 0xDF14;
    /** DF15: work-key encryption mode, 1 byte: 01 TDES-ECB. */
    public static final int WORK_KEY_MODE = 0xDF15;
    /**
     * DF18: the session MAC key (TAK) under the DWK, 16 bytes (TMS protocol version 2, work-key mode
     * {@code 03}: posgate's amendment, docs/tms.md "Session keys").
     */
    public static final int SESSION_MAC_KEY = 0xDF18;
    /** DF19: the session data key (DEK) under the DWK, 16 bytes (TMS protocol version 2, work-key mode {@code 03}). */
    public static final int SESSION_DATA_KEY = 0xDF19;
    /** DF16: authentication stage, 1 byte: 01 TMS authenticated, 02 both authenticated. */
    public static final int AUTH_STAGE = 0xDF16;
    /** DF17: terminal authentication result, 1 byte: 00 TAC matched, 01 TAC mismatch. */
    public static final int TERMINAL_AUTH_RESULT = 0xDF17;
    /** DF20: certificate (X.509 DER). */
    public static final int CERTIFICATE = 0xDF20;
    /** DF21: Rnd1, 8 bytes (16 in the L-flow). */
    public static final int RND1 = 0xDF21;
    /** DF22: Rnd2, 8 bytes. */
    public static final int RND2 = 0xDF22;
    /** DF23: E_AUK(Rnd1), 8 bytes. */
    public static final int E_AUK_RND1 = 0xDF23;
    /** DF24: E_AUK(Rnd2), 8 bytes. */
    public static final int E_AUK_RND2 = 0xDF24;
    /** DF25: TMK under TEK (Ctmk_tk) or under Rnd1 (Ctmk), 16 bytes. */
    public static final int TMK_CIPHER = 0xDF25;
    /** DF26: key check value, 4 bytes. */
    public static final int KCV = 0xDF26;
    /** DF27: RSA_Pu(Rnd1 || Rnd2), modulus length. */
    public static final int RSA_PU_RND = 0xDF27;
    /** DF28: RSA_Prk(Ctmk || Rnd2), modulus length. */
    public static final int RSA_PRK_CTMK = 0xDF28;
    /** DF2A: terminal device certificate (X.509 DER), issued by a manufacturer CA. */
    public static final int DEVICE_CERTIFICATE = 0xDF2A;
    /** DF2B: the device's SHA256withRSA signature over DF27 || SN (ASCII). */
    public static final int DEVICE_SIGNATURE = 0xDF2B;
    /** DF30: package list, constructed: repeated DF31. */
    public static final int PACKAGE_LIST = 0xDF30;
    /** DF31: package entry, constructed: DF32 DF33 DF34 DF35 DF36. */
    public static final int PACKAGE_ENTRY = 0xDF31;
    /** DF32: package kind, 1 byte: 1 application, 2 parameters, 3 data file. */
    public static final int PACKAGE_KIND = 0xDF32;
    /** DF33: package name, ans..32. */
    public static final int PACKAGE_NAME = 0xDF33;
    /** DF34: package version, ans..16. */
    public static final int PACKAGE_VERSION = 0xDF34;
    /** DF35: package size, 4 bytes. */
    public static final int PACKAGE_SIZE = 0xDF35;
    /** DF36: package SHA-256, 32 bytes. */
    public static final int PACKAGE_SHA256 = 0xDF36;
    /** DF37: offset, 4 bytes. */
    public static final int OFFSET = 0xDF37;
    /** DF38: frame length requested, 2 bytes. */
    public static final int FRAME_LENGTH = 0xDF38;
    /** DF39: frame data. */
    public static final int FRAME_DATA = 0xDF39;
    /** DF3A: install result, 1 byte: 00 installed, other = failed. */
    public static final int INSTALL_RESULT = 0xDF3A;
    /** DF40: key message entry, constructed: DF41 DF06 DF42 DF26. */
    public static final int KEY_MESSAGE_ENTRY = 0xDF40;
    /** DF41: key kind, 1 byte: 1 TMK, 2 DMK. */
    public static final int KEY_KIND = 0xDF41;
    /** DF42: key under DWK, 16 bytes. */
    public static final int KEY_UNDER_DWK = 0xDF42;

    private Tags() {
    }

    /**
     * True when objects with {@code tag} hold nested objects: the BER constructed bit ({@code 0x20} of the
     * first tag byte) is set, or the tag is {@link #PACKAGE_LIST}, {@link #PACKAGE_ENTRY} or
     * {@link #KEY_MESSAGE_ENTRY}.
     */
    public static boolean isConstructed(int tag) {
        int first = tag > 0xFF ? tag >>> 8 : tag;
        return (first & 0x20) != 0 || tag == PACKAGE_LIST || tag == PACKAGE_ENTRY || tag == KEY_MESSAGE_ENTRY;
    }

    /** True when the BER constructed bit ({@code 0x20} of the first tag byte) is set. */
    public static boolean isBerConstructed(int tag) {
        int first = tag > 0xFF ? tag >>> 8 : tag;
        return (first & 0x20) != 0;
    }

    /** {@code "DF01 VENDOR_ID"} for a protocol tag, the hex tag otherwise. */
    public static String name(int tag) {
        switch (tag) {
            case VENDOR_ID: return "DF01 VENDOR_ID";
            case TERMINAL_MODEL_ID: return "DF02 TERMINAL_MODEL_ID";
            case SERIAL_NUMBER: return "DF03 SERIAL_NUMBER";
            case PINPAD_SERIAL_NUMBER: return "DF04 PINPAD_SERIAL_NUMBER";
            case TMS_PROTOCOL_VERSION: return "DF05 TMS_PROTOCOL_VERSION";
            case PINPAD_KEY_INDEX: return "DF06 PINPAD_KEY_INDEX";
            case T_DATA: return "DF10 T_DATA";
            case S_DATA: return "DF11 S_DATA";
            case TAC: return "DF12 TAC";
            case SAC: return "DF13 SAC";
            case DWK_UNDER_DMK: return "DF14 DWK_UNDER_DMK";
            case WORK_KEY_MODE: return "DF15 WORK_KEY_MODE";
            case AUTH_STAGE: return "DF16 AUTH_STAGE";
            case TERMINAL_AUTH_RESULT: return "DF17 TERMINAL_AUTH_RESULT";
            case SESSION_MAC_KEY: return "DF18 SESSION_MAC_KEY";
            case SESSION_DATA_KEY: return "DF19 SESSION_DATA_KEY";
            case CERTIFICATE: return "DF20 CERTIFICATE";
            case RND1: return "DF21 RND1";
            case RND2: return "DF22 RND2";
            case E_AUK_RND1: return "DF23 E_AUK_RND1";
            case E_AUK_RND2: return "DF24 E_AUK_RND2";
            case TMK_CIPHER: return "DF25 TMK_CIPHER";
            case KCV: return "DF26 KCV";
            case RSA_PU_RND: return "DF27 RSA_PU_RND";
            case RSA_PRK_CTMK: return "DF28 RSA_PRK_CTMK";
            case DEVICE_CERTIFICATE: return "DF2A DEVICE_CERTIFICATE";
            case DEVICE_SIGNATURE: return "DF2B DEVICE_SIGNATURE";
            case PACKAGE_LIST: return "DF30 PACKAGE_LIST";
            case PACKAGE_ENTRY: return "DF31 PACKAGE_ENTRY";
            case PACKAGE_KIND: return "DF32 PACKAGE_KIND";
            case PACKAGE_NAME: return "DF33 PACKAGE_NAME";
            case PACKAGE_VERSION: return "DF34 PACKAGE_VERSION";
            case PACKAGE_SIZE: return "DF35 PACKAGE_SIZE";
            case PACKAGE_SHA256: return "DF36 PACKAGE_SHA256";
            case OFFSET: return "DF37 OFFSET";
            case FRAME_LENGTH: return "DF38 FRAME_LENGTH";
            case FRAME_DATA: return "DF39 FRAME_DATA";
            case INSTALL_RESULT: return "DF3A INSTALL_RESULT";
            case KEY_MESSAGE_ENTRY: return "DF40 KEY_MESSAGE_ENTRY";
            case KEY_KIND: return "DF41 KEY_KIND";
            case KEY_UNDER_DWK: return "DF42 KEY_UNDER_DWK";
            default: return String.format("%X", tag);
        }
    }
}
