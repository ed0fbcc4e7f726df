package dev.perptrader.exchange.hyperliquid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every L1 signature vector of api/hyperliquid.md §4 (V1–V6, V8, V9, V11, D1–D3), reproduced bit
 * for bit through the one generic signer over action maps built here from the vectors' JSON
 * (Jackson keeps a JSON object's key order), including actions the bot never sends. Each
 * signature is then recovered to its key's address by {@link EcRecover}, the stubs' own code.
 */
final class HyperliquidSignerTest {
    private static final String K1 = "0x0123456789012345678901234567890123456789012345678901234567890123";
    private static final String K2 = "0xe908f86dbb4d55ac876378565aafeabc187f6690f046459397b17d9b9a19688e";
    private static final String K3 = "0x822e9959e022b78423eb653a62ea0020cd283e71a2a8133a6ff2aeffaf373cff";
    private static final HyperliquidNetwork MAIN = HyperliquidNetwork.MAINNET;
    private static final HyperliquidNetwork TEST = HyperliquidNetwork.TESTNET;
    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String V2_ORDER =
            "{\"type\":\"order\",\"orders\":[{\"a\":1,\"b\":true,\"p\":\"100\",\"s\":\"100\","
                    + "\"r\":false,\"t\":{\"limit\":{\"tif\":\"Gtc\"}}}],\"grouping\":\"na\"}";
    private static final String V3_ORDER =
            V2_ORDER.replace("}}}]", "}},\"c\":\"0x00000000000000000000000000000001\"}]");
    private static final String V4_ORDER =
            "{\"type\":\"order\",\"orders\":[{\"a\":1,\"b\":true,\"p\":\"100\",\"s\":\"100\","
                    + "\"r\":false,\"t\":{\"trigger\":{\"isMarket\":true,\"triggerPx\":\"103\",\"tpsl\":\"sl\"}}}],\"grouping\":\"na\"}";
    private static final String V5_DUMMY = "{\"type\":\"dummy\",\"num\":100000000000}";
    private static final String V5_VAULT = "0x1719884eb866cb12b2287399b15f7db5e7d775ea";
    private static final String R1_ORDER =
            "{\"type\":\"order\",\"orders\":[{\"a\":1,\"b\":true,\"p\":\"2000.0\",\"s\":\"3.5\","
                    + "\"r\":false,\"t\":{\"limit\":{\"tif\":\"Ioc\"}}}],\"grouping\":\"na\"}";
    private static final String R2_ORDER =
            R1_ORDER.replace("}}}]", "}},\"c\":\"0x1e60610f0b3d420597c88c1fed2ad5ee\"}]");
    private static final String R3_TP = R1_ORDER.replace(
            "{\"limit\":{\"tif\":\"Ioc\"}}",
            "{\"trigger\":{\"isMarket\":true,\"triggerPx\":\"2000.0\",\"tpsl\":\"tp\"}}");
    private static final String V11_ORDER =
            "{\"type\":\"order\",\"orders\":[{\"a\":0,\"b\":true,\"p\":\"30000\",\"s\":\"0.1\","
                    + "\"r\":false,\"t\":{\"limit\":{\"tif\":\"Gtc\"}}}],\"grouping\":\"na\"}";
    private static final String V11_VAULT = "0x1234567890123456789012345678901234567890";
    private static final String D3_ORDER =
            "{\"type\":\"order\",\"orders\":[{\"a\":3,\"b\":false,\"p\":\"95.123\",\"s\":\"0.05\","
                    + "\"r\":true,\"t\":{\"limit\":{\"tif\":\"Ioc\"}}}],\"grouping\":\"na\"}";

    /** One vector: what is signed, how, and each value the doc lists (null where it lists none). */
    record Vector(
            String name,
            String key,
            String action,
            long nonce,
            String vault,
            Long expiresAfter,
            HyperliquidNetwork network,
            String msgpack,
            String cid,
            String digest,
            String r,
            String s,
            int v) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Vector py(
            String name,
            String key,
            String action,
            long nonce,
            String vault,
            HyperliquidNetwork net,
            String r,
            String s,
            int v) {
        return new Vector(name, key, action, nonce, vault, null, net, null, null, null, r, s, v);
    }

    /** A Rust SDK vector: the signature as r ‖ s ‖ v in 65 bytes of hex. */
    private static Vector rust(String name, String action, HyperliquidNetwork net, String rsv) {
        String h = rsv.substring(2);
        return new Vector(
                name,
                K2,
                action,
                1583838,
                null,
                null,
                net,
                null,
                null,
                null,
                "0x" + h.substring(0, 64),
                "0x" + h.substring(64, 128),
                Integer.parseInt(h.substring(128), 16));
    }

    static Stream<Vector> vectors() {
        return Stream.of(
                new Vector(
                        "V2 order mainnet",
                        K1,
                        V2_ORDER,
                        0,
                        null,
                        null,
                        MAIN,
                        "83a474797065a56f72646572a66f72646572739186a16101a162c3a170a3313030a173a3313030a172c2a17481a56c696d697481a3746966a3477463a867726f7570696e67a26e61",
                        "0x884f2c32bb6dbdd65f6033e32fb28c0cb6f5b345db0f6471fd3366d85c9252c1",
                        "0xa5cfed1f2d7948de30aecacc7fea3c5e05c1e759020e96239847879b906f801e",
                        "0xd65369825a9df5d80099e513cce430311d7d26ddf477f5b3a33d2806b100d78e",
                        "0x2b54116ff64054968aa237c20ca9ff68000f977c93289157748a3162b6ea940e",
                        28),
                py(
                        "V2 order testnet",
                        K1,
                        V2_ORDER,
                        0,
                        null,
                        TEST,
                        "0x82b2ba28e76b3d761093aaded1b1cdad4960b3af30212b343fb2e6cdfa4e3d54",
                        "0x6b53878fc99d26047f4d7e8c90eb98955a109f44209163f52d8dc4278cbbd9f5",
                        27),
                new Vector(
                        "V3 order with cloid mainnet",
                        K1,
                        V3_ORDER,
                        0,
                        null,
                        null,
                        MAIN,
                        null,
                        "0x0ba500cedd8f4ba6ded620a0b1cd04f124d9ba745e2e2893fcc763bcc1444af5",
                        null,
                        "0x41ae18e8239a56cacbc5dad94d45d0b747e5da11ad564077fcac71277a946e3",
                        "0x3c61f667e747404fe7eea8f90ab0e76cc12ce60270438b2058324681a00116da",
                        27),
                py(
                        "V3 order with cloid testnet",
                        K1,
                        V3_ORDER,
                        0,
                        null,
                        TEST,
                        "0xeba0664bed2676fc4e5a743bf89e5c7501aa6d870bdb9446e122c9466c5cd16d",
                        "0x7f3e74825c9114bc59086f1eebea2928c190fdfbfde144827cb02b85bbe90988",
                        28),
                new Vector(
                        "V4 trigger order mainnet",
                        K1,
                        V4_ORDER,
                        0,
                        null,
                        null,
                        MAIN,
                        null,
                        "0x430a86fb9876e901920d931f5bb20c9d011f6389bd179f39a73c09e6219adcad",
                        null,
                        "0x98343f2b5ae8e26bb2587daad3863bc70d8792b09af1841b6fdd530a2065a3f9",
                        "0x6b5bb6bb0633b710aa22b721dd9dee6d083646a5f8e581a20b545be6c1feb405",
                        27),
                py(
                        "V4 trigger order testnet",
                        K1,
                        V4_ORDER,
                        0,
                        null,
                        TEST,
                        "0x971c554d917c44e0e1b6cc45d8f9404f32172a9d3b3566262347d0302896a2e4",
                        "0x206257b104788f80450f8e786c329daa589aa0b32ba96948201ae556d5637eac",
                        28),
                new Vector(
                        "V5 generic action mainnet",
                        K1,
                        V5_DUMMY,
                        0,
                        null,
                        null,
                        MAIN,
                        "82a474797065a564756d6d79a36e756dcf000000174876e800",
                        "0xf528daee6a0bd11407b483cfcd9a48c56884180b70ee86f124053e5fc1bf4d57",
                        "0xe0aabfac88a47d3e7028b6ba6a94b30c8afcfffac26cbce788cf362b1312eafa",
                        "0x53749d5b30552aeb2fca34b530185976545bb22d0b3ce6f62e31be961a59298",
                        "0x755c40ba9bf05223521753995abb2f73ab3229be8ec921f350cb447e384d8ed8",
                        27),
                py(
                        "V5 generic action testnet",
                        K1,
                        V5_DUMMY,
                        0,
                        null,
                        TEST,
                        "0x542af61ef1f429707e3c76c5293c80d01f74ef853e34b76efffcb57e574f9510",
                        "0x17b8b32f086e8cdede991f1e2c529f5dd5297cbe8128500e00cbaf766204a613",
                        28),
                new Vector(
                        "V5 generic action with vault mainnet",
                        K1,
                        V5_DUMMY,
                        0,
                        V5_VAULT,
                        null,
                        MAIN,
                        null,
                        "0xde9e09a7a3da45cc694096d4bfdcd89bc1b892d05497c5ecc1f56c335945184c",
                        null,
                        "0x3c548db75e479f8012acf3000ca3a6b05606bc2ec0c29c50c515066a326239",
                        "0x4d402be7396ce74fbba3795769cda45aec00dc3125a984f2a9f23177b190da2c",
                        28),
                py(
                        "V5 generic action with vault testnet",
                        K1,
                        V5_DUMMY,
                        0,
                        V5_VAULT,
                        TEST,
                        "0xe281d2fb5c6e25ca01601f878e4d69c965bb598b88fac58e475dd1f5e56c362b",
                        "0x7ddad27e9a238d045c035bc606349d075d5c5cd00a6cd1da23ab5c39d4ef0f60",
                        27),
                py(
                        "V6 createSubAccount mainnet",
                        K1,
                        "{\"type\":\"createSubAccount\",\"name\":\"example\"}",
                        0,
                        null,
                        MAIN,
                        "0x51096fe3239421d16b671e192f574ae24ae14329099b6db28e479b86cdd6caa7",
                        "0xb71f7d293af92d3772572afb8b102d167a7cef7473388286bc01f52a5c5b423",
                        27),
                py(
                        "V6 createSubAccount testnet",
                        K1,
                        "{\"type\":\"createSubAccount\",\"name\":\"example\"}",
                        0,
                        null,
                        TEST,
                        "0xa699e3ed5c2b89628c746d3298b5dc1cca604694c2c855da8bb8250ec8014a5b",
                        "0x53f1b8153a301c72ecc655b1c315d64e1dcea3ee58921fd7507e35818fcc1584",
                        28),
                py(
                        "V6 subAccountTransfer mainnet",
                        K1,
                        SUB_TRANSFER,
                        0,
                        null,
                        MAIN,
                        "0x43592d7c6c7d816ece2e206f174be61249d651944932b13343f4d13f306ae602",
                        "0x71a926cb5c9a7c01c3359ec4c4c34c16ff8107d610994d4de0e6430e5cc0f4c9",
                        28),
                py(
                        "V6 subAccountTransfer testnet",
                        K1,
                        SUB_TRANSFER,
                        0,
                        null,
                        TEST,
                        "0xe26574013395ad55ee2f4e0575310f003c5bb3351b5425482e2969fa51543927",
                        "0xefb08999196366871f919fd0e138b3a7f30ee33e678df7cfaf203e25f0a4278",
                        28),
                py(
                        "V6 scheduleCancel mainnet",
                        K1,
                        "{\"type\":\"scheduleCancel\"}",
                        0,
                        null,
                        MAIN,
                        "0x6cdfb286702f5917e76cd9b3b8bf678fcc49aec194c02a73e6d4f16891195df9",
                        "0x6557ac307fa05d25b8d61f21fb8a938e703b3d9bf575f6717ba21ec61261b2a0",
                        27),
                py(
                        "V6 scheduleCancel testnet",
                        K1,
                        "{\"type\":\"scheduleCancel\"}",
                        0,
                        null,
                        TEST,
                        "0xc75bb195c3f6a4e06b7d395acc20bbb224f6d23ccff7c6a26d327304e6efaeed",
                        "0x342f8ede109a29f2c0723bd5efb9e9100e3bbb493f8fb5164ee3d385908233df",
                        28),
                py(
                        "V6 scheduleCancel with time mainnet",
                        K1,
                        "{\"type\":\"scheduleCancel\",\"time\":123456789}",
                        0,
                        null,
                        MAIN,
                        "0x609cb20c737945d070716dcc696ba030e9976fcf5edad87afa7d877493109d55",
                        "0x16c685d63b5c7a04512d73f183b3d7a00da5406ff1f8aad33f8ae2163bab758b",
                        28),
                py(
                        "V6 scheduleCancel with time testnet",
                        K1,
                        "{\"type\":\"scheduleCancel\",\"time\":123456789}",
                        0,
                        null,
                        TEST,
                        "0x4e4f2dbd4107c69783e251b7e1057d9f2b9d11cee213441ccfa2be63516dc5bc",
                        "0x706c656b23428c8ba356d68db207e11139ede1670481a9e01ae2dfcdb0e1a678",
                        27),
                withBytes(
                        rust(
                                "V8 R1 order mainnet",
                                R1_ORDER,
                                MAIN,
                                "0x77957e58e70f43b6b68581f2dc42011fc384538a2e5b7bf42d5b936f19fbb67360721a8598727230f67080efee48c812a6a4442013fd3b0eed509171bef9f23f1c"),
                        "83a474797065a56f72646572a66f72646572739186a16101a162c3a170a6323030302e30a173a3332e35a172c2a17481a56c696d697481a3746966a3496f63a867726f7570696e67a26e61",
                        "0x5983a9453b8d32668daefa9310e1a81bc1f4d7da50a9ad8869a4011d12068ea0",
                        null),
                rust(
                        "V8 R1 order testnet",
                        R1_ORDER,
                        TEST,
                        "0xcd0925372ff1ed499e54883e9a6205ecfadec748f80ec463fe2f84f1209648776377961965cb7b12414186b1ea291e95fd512722427efcbcfb3b0b2bcd4d79d01c"),
                rust(
                        "V8 R2 order with cloid mainnet",
                        R2_ORDER,
                        MAIN,
                        "0xd3e894092eb27098077145714630a77bbe3836120ee29df7d935d8510b03a08f456de5ec1be82aa65fc6ecda9ef928b0445e212517a98858cfaa251c4cd7552b1c"),
                rust(
                        "V8 R2 order with cloid testnet",
                        R2_ORDER,
                        TEST,
                        "0x3768349dbb22a7fd770fc9fc50c7b5124a7da342ea579b309f58002ceae49b4357badc7909770919c45d850aabb08474ff2b7b3204ae5b66d9f7375582981f111c"),
                rust(
                        "V8 R3 take-profit mainnet",
                        R3_TP,
                        MAIN,
                        "0xb91e5011dff15e4b4a40753730bda44972132e7b75641f3cac58b66159534a170d422ee1ac3c7a7a2e11e298108a2d6b8da8612caceaeeb3e571de3b2dfda9e41b"),
                rust(
                        "V8 R3 take-profit testnet",
                        R3_TP,
                        TEST,
                        "0x6df38b609904d0d4439884756b8f366f22b3a081801dbdd23f279094a2299fac6424cb0cdc48c3706aeaa368f81959e91059205403d3afd23a55983f710aee871b"),
                rust(
                        "V8 R3 stop-loss mainnet",
                        R3_TP.replace("\"tp\"", "\"sl\""),
                        MAIN,
                        "0x8456d2ace666fce1bee1084b00e9620fb20e810368841e9d4dd80eb29014611a0843416e51b1529c22dd2fc28f7ff8f6443875635c72011f60b62cbb8ce90e2d1c"),
                rust(
                        "V8 R3 stop-loss testnet",
                        R3_TP.replace("\"tp\"", "\"sl\""),
                        TEST,
                        "0xeb5bdb52297c1d19da45458758bd569dcb24c07e5c7bd52cf76600fd92fdd8213e661e21899c985421ec018a9ee7f3790e7b7d723a9932b7b5adcd7def5354601c"),
                withBytes(
                        rust(
                                "V8 R4 cancel mainnet",
                                R4_CANCEL,
                                MAIN,
                                "0x02f76cc5b16e0810152fa0e14e7b219f49c361e3325f771544c6f54e157bf9fa17ed0afc11a98596be85d5cd9f86600aad515337318f7ab346e5ccc1b03425d51b"),
                        "82a474797065a663616e63656ca763616e63656c739182a16101a16fce000141ce",
                        "0xa53262329d1e221a88ff73e5ce330e0e47fb646091cae7020c34c346e592b77e",
                        "0xa0bc47fbbe6488084a551f3b01004f08c6e3abc07d550e460e64a554c82882f9"),
                rust(
                        "V8 R4 cancel testnet",
                        R4_CANCEL,
                        TEST,
                        "0x6ffebadfd48067663390962539fbde76cfa36f53be65abe2ab72c9db6d0db44457720db9d7c4860f142a484f070c84eb4b9694c3a617c83f0d698a27e55fd5e01c"),
                rust(
                        "V8 R5 claimRewards mainnet",
                        "{\"type\":\"claimRewards\"}",
                        MAIN,
                        "0xe13542800ba5ec821153401e1cafac484d1f861adbbb86c00b580ec2560c153248b8d9f0e004ecc86959c07d44b591861ebab2167b54651a81367e2c3d472d4e1c"),
                rust(
                        "V8 R5 claimRewards testnet",
                        "{\"type\":\"claimRewards\"}",
                        TEST,
                        "0x16de9b346ddd8e200492a2db45ec9104dcdfc7fbfdbcd85890a6063bdd56df2c44846714c261a431de7095ad52e07143346eb26d9e66c6aed4674f120a1048131c"),
                new Vector(
                        "V11 plain mainnet",
                        K3,
                        V11_ORDER,
                        1234567890,
                        null,
                        null,
                        MAIN,
                        "83a474797065a56f72646572a66f72646572739186a16100a162c3a170a53330303030a173a3302e31a172c2a17481a56c696d697481a3746966a3477463a867726f7570696e67a26e61",
                        "0x25367e0dba84351148288c2233cd6130ed6cec5967ded0c0b7334f36f957cc90",
                        null,
                        "0x61078d8ffa3cb591de045438a1ae2ed299b271891d1943a33901e7cfb3a31ed8",
                        "0x0e91df4f9841641d3322dad8d932874b74d7e082cdb5b533f804964a6963aef9",
                        28),
                new Vector(
                        "V11 with vault mainnet",
                        K3,
                        V11_ORDER,
                        1234567890,
                        V11_VAULT,
                        null,
                        MAIN,
                        null,
                        "0x214e2ea3270981b6fd18174216691e69f56872663139d396b10ded319cb4bb1e",
                        null,
                        "0x77151b3ae29b83c8affb3791568c6452019ba8c30019236003abb1efcd809433",
                        "0x55668c02f6ad4a1c335ce99987b7545984c4edc1765fe52cf115a423dc8279bb",
                        27),
                new Vector(
                        "V11 with expiresAfter mainnet",
                        K3,
                        V11_ORDER,
                        1234567890,
                        null,
                        1234567890L,
                        MAIN,
                        null,
                        "0xc30b002ba3775e4c31c43c1dfd3291dfc85c6ae06c6b9f393991de86cad5fac7",
                        null,
                        "0x162a52128fb58bc6adb783e3d36913c53127851144fc45c5603a51e97b9202fd",
                        "0x469571eb0a2101a32f81f9584e15fd35c723a6089e106f4f33798dbccf7cd416",
                        28),
                new Vector(
                        "V11 with vault and expiresAfter mainnet",
                        K3,
                        V11_ORDER,
                        1234567890,
                        V11_VAULT,
                        1234567890L,
                        MAIN,
                        null,
                        "0x2d62412aa0fc57441b5189841d81554a6a9680bf07204e1454983a9ca44f0744",
                        null,
                        "0x78fcca006d7fdfaf1f66978ef7a60280246fc3e7a5b39a68a1656c3e42c58bf1",
                        "0x61a09957de7f0886c2bdffb7a94e3a257bf240796883ea6ceaf4d0be37055cdd",
                        27),
                py(
                        "V11 plain testnet",
                        K3,
                        V11_ORDER,
                        1234567890,
                        null,
                        TEST,
                        "0x6b0283a894d87b996ad0182b86251cc80d27d61ef307449a2ed249a508ded1f7",
                        "0x6f884e79f4a0a10af62db831af6f8e03b3f11d899eb49b352f836746ee9226da",
                        27),
                new Vector(
                        "D1 updateLeverage mainnet",
                        K1,
                        D1_LEVERAGE,
                        1700000000000L,
                        null,
                        null,
                        MAIN,
                        "84a474797065ae7570646174654c65766572616765a5617373657400a7697343726f7373c3a86c657665726167650a",
                        "0xe69c035a0297dd24d9b288c3e8509ae251baf7bf43a43b895327a2cab098389e",
                        "0xe6ef425fe152bfa4961bd961d5eaec6f78faec0e337371b3d174159ecd4810f8",
                        "0x4fa0ed1f37b56019934737616f720140dc2d415064df1f02ef44e0a6431dc02d",
                        "0x0541f7b41434b08725ae4d5908e3dc426e8a9ae09833f907d077fc4e32df6c2e",
                        27),
                py(
                        "D1 updateLeverage testnet",
                        K1,
                        D1_LEVERAGE,
                        1700000000000L,
                        null,
                        TEST,
                        "0xd4498ef57bf0c1361161ef3cd6da84a912a93c162257f2d45f7211711115f238",
                        "0x1f351995d1950021ddcc17c1f9b1ad60870c56ab7d87bc3f32210970229b6bbf",
                        27),
                new Vector(
                        "D2 cancel mainnet",
                        K1,
                        "{\"type\":\"cancel\",\"cancels\":[{\"a\":0,\"o\":123456}]}",
                        1700000000000L,
                        null,
                        null,
                        MAIN,
                        "82a474797065a663616e63656ca763616e63656c739182a16100a16fce0001e240",
                        "0xc34953b9bfc4b56dd5ecfc8f78d4bb37a43f8658a44787c3fd3c032bbe76b9c4",
                        null,
                        "0xd00b89b227d24e79a44b278de1805c3bfd1c59cf7e867fae430cfde5a96dd78e",
                        "0x3d272dcb4c8334ee9e09c7c9bc890e57fe2ea9bfd7780c9c18a341c9eed4ffe0",
                        28),
                py(
                        "D2 cancel testnet",
                        K1,
                        "{\"type\":\"cancel\",\"cancels\":[{\"a\":0,\"o\":123456}]}",
                        1700000000000L,
                        null,
                        TEST,
                        "0x0e627ef6ae0e2a7ee9d6c0cf2cbfa14dd23293da10b42d9e839585d1b8fa5a1f",
                        "0x638eedbb6f1b7e6b4d2339ca76b0d881d08e7491ddf549c77ea560c23b20e5fd",
                        28),
                new Vector(
                        "D3 reduce-only IOC sell mainnet",
                        K1,
                        D3_ORDER,
                        1700000000001L,
                        null,
                        null,
                        MAIN,
                        "83a474797065a56f72646572a66f72646572739186a16103a162c2a170a639352e313233a173a4302e3035a172c3a17481a56c696d697481a3746966a3496f63a867726f7570696e67a26e61",
                        "0x6be399377d4f9eb8c311cb21fb130ef76bf07fe880552d21271d0ddab012d018",
                        null,
                        "0x20fe649d0fd852b74ffb3f89282bfa9062033c036e806eb92cbe836fd53585ef",
                        "0x4e7eae46be90bd860833c256a2b4da6d3c18d443b78248eb0b9a6f1ee00bf5da",
                        27));
    }

    private static final String SUB_TRANSFER = "{\"type\":\"subAccountTransfer\","
            + "\"subAccountUser\":\"0x1d9470d4b963f552e6f671a81619d395877bf409\",\"isDeposit\":true,\"usd\":10}";
    private static final String R4_CANCEL = "{\"type\":\"cancel\",\"cancels\":[{\"a\":1,\"o\":82382}]}";
    private static final String D1_LEVERAGE =
            "{\"type\":\"updateLeverage\",\"asset\":0,\"isCross\":true,\"leverage\":10}";

    private static Vector withBytes(Vector v, String msgpack, String cid, String digest) {
        return new Vector(
                v.name(),
                v.key(),
                v.action(),
                v.nonce(),
                v.vault(),
                v.expiresAfter(),
                v.network(),
                msgpack,
                cid,
                digest,
                v.r(),
                v.s(),
                v.v());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everyL1VectorIsReproducedBitForBit(Vector vector) throws Exception {
        HyperliquidSigner signer = HyperliquidSigner.ofPrivateKey(vector.key());
        HyperliquidSigner.Signed signed = signer.signL1(
                action(vector.action()), vector.nonce(), vector.vault(), vector.expiresAfter(), vector.network());
        if (vector.msgpack() != null) {
            assertThat(HEX.formatHex(signed.msgpack())).as("msgpack").isEqualTo(vector.msgpack());
        }
        if (vector.cid() != null) {
            assertThat("0x" + HEX.formatHex(signed.connectionId()))
                    .as("connectionId")
                    .isEqualTo(vector.cid());
        }
        if (vector.digest() != null) {
            assertThat("0x" + HEX.formatHex(signed.digest())).as("digest").isEqualTo(vector.digest());
        }
        assertThat(signed.signature().r())
                .as("r")
                .isEqualTo(new BigInteger(vector.r().substring(2), 16));
        assertThat(signed.signature().s())
                .as("s")
                .isEqualTo(new BigInteger(vector.s().substring(2), 16));
        assertThat(signed.signature().v()).as("v").isEqualTo(vector.v());
        assertThat(EcRecover.signer(
                        signed.digest(),
                        signed.signature().r(),
                        signed.signature().s(),
                        signed.signature().v()))
                .as("the address a venue recovers")
                .isEqualTo(signer.address());
    }

    @Test
    void v1TheOrderConnectionIdOfProduction() throws Exception {
        Map<String, Object> order = action("{\"type\":\"order\",\"orders\":[{\"a\":4,\"b\":true,\"p\":\"1670.1\","
                + "\"s\":\"0.0147\",\"r\":false,\"t\":{\"limit\":{\"tif\":\"Ioc\"}}}],\"grouping\":\"na\"}");
        byte[] packed = HyperliquidSigner.msgpack(order);
        assertThat(HEX.formatHex(packed))
                .isEqualTo(
                        "83a474797065a56f72646572a66f72646572739186a16104a162c3a170a6313637302e31a173a6302e30313437a172c2"
                                + "a17481a56c696d697481a3746966a3496f63a867726f7570696e67a26e61");
        assertThat("0x" + HEX.formatHex(HyperliquidSigner.connectionId(packed, 1677777606040L, null, null)))
                .isEqualTo("0x0fcbeda5ae3c4950a548021552a4fea2226858c4453571bf3f24ba017eac2908");
    }

    @Test
    void v9TheEip712StepAloneWithK2() {
        HyperliquidSigner signer = HyperliquidSigner.ofPrivateKey(K2);
        byte[] cid = HEX.parseHex("de6c4037798a4434ca03cd05f00e3b803126221375cd1e7eaaaf041768be06eb");
        byte[] mainnet = HyperliquidSigner.agentDigest(cid, MAIN);
        assertThat("0x" + HEX.formatHex(mainnet))
                .isEqualTo("0x6c43321e0f67bbafa52f8ad0cca68ce5e6700cac04fd5f8ccc1df6d4d3e799b0");
        assertThat(rsv(signer.signDigest(mainnet)))
                .isEqualTo("fa8a41f6a3fa728206df80801a83bcbfbab08649cd34d9c0bfba7c7b2f99340f"
                        + "53a00226604567b98a1492803190d65a201d6805e5831b7044f17fd530aec7841c");
        assertThat(rsv(signer.signDigest(HyperliquidSigner.agentDigest(cid, TEST))))
                .isEqualTo("1713c0fc661b792a50e8ffdd59b637b1ed172d9a3aa4d801d9d88646710fb74b"
                        + "33959f4d075a7ccbec9f2374a6da21ffa4448d58d0413a0d335775f680a881431c");
    }

    @Test
    void theDocsConstantsAndEachKeysAddress() {
        assertThat("0x" + HEX.formatHex(HyperliquidSigner.DOMAIN_TYPE_HASH))
                .isEqualTo("0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");
        assertThat("0x" + HEX.formatHex(HyperliquidSigner.AGENT_TYPE_HASH))
                .isEqualTo("0x26f05c2f7239b6983075e58321292d77b3aa173d19b27257ac96ab362570f508");
        assertThat("0x" + HEX.formatHex(HyperliquidSigner.EXCHANGE_DOMAIN))
                .isEqualTo("0xd79297fcdf2ffcd4ae223d01edaa2ba214ff8f401d7c9300d995d17c82aa4040");
        assertThat(HyperliquidSigner.ofPrivateKey(K1).address())
                .isEqualTo("0x14791697260e4c9a71f18484c9f997b308e59325");
        assertThat(HyperliquidSigner.ofPrivateKey(K2).address())
                .isEqualTo("0xcd49bbac6e85fdeb167eb7ca41a945d2b8758f6f");
        assertThat(HyperliquidSigner.ofPrivateKey(K3).address())
                .isEqualTo("0xe5ca49fb3bd9a581f0d1ef9cb5d7177da08bf901");
    }

    @Test
    void aTamperedSignatureRecoversSomeoneElseOrNoOne() throws Exception {
        HyperliquidSigner signer = HyperliquidSigner.ofPrivateKey(K1);
        HyperliquidSigner.Signed signed = signer.signL1(action(D1_LEVERAGE), 1, null, null, MAIN);
        HyperliquidSigner.Signature sig = signed.signature();
        assertThat(EcRecover.signer(signed.digest(), sig.r(), sig.s(), sig.v() == 27 ? 28 : 27))
                .isNotEqualTo(signer.address());
        byte[] otherDigest = signed.digest().clone();
        otherDigest[0] ^= 1;
        assertThat(EcRecover.signer(otherDigest, sig.r(), sig.s(), sig.v())).isNotEqualTo(signer.address());
        assertThatThrownBy(() -> EcRecover.signer(signed.digest(), sig.r(), BigInteger.ZERO, sig.v()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBadKeyIsRefusedWithoutRepeatingItAndTheSignerShowsOnlyItsAddress() {
        String almost = K1.substring(0, 60);
        assertThatThrownBy(() -> HyperliquidSigner.ofPrivateKey(almost))
                .hasMessage(
                        "a Hyperliquid private key is 64 hex digits (32 bytes, \"0x\" optional); the one given has 58 characters")
                .message()
                .doesNotContain(almost.substring(2));
        assertThatThrownBy(() -> HyperliquidSigner.ofPrivateKey("0x" + "0".repeat(64)))
                .hasMessage("the Hyperliquid private key is not a valid secp256k1 key");
        assertThat(HyperliquidSigner.ofPrivateKey(K1).toString())
                .isEqualTo("HyperliquidSigner[0x14791697260e4c9a71f18484c9f997b308e59325]")
                .doesNotContain(K1.substring(2, 20));
        assertThatThrownBy(() -> HyperliquidSigner.msgpack(Map.of("px", 1.5)))
                .hasMessage("an action holds maps, lists, strings, booleans and integers, not Double");
    }

    @Test
    void theWireSignatureIsHexOf64DigitsAndANumberV() {
        HyperliquidSigner.Signature sig = new HyperliquidSigner.Signature(BigInteger.TEN, BigInteger.ONE, 27);
        assertThat(sig.wire())
                .containsExactly(
                        Map.entry("r", "0x" + "0".repeat(63) + "a"),
                        Map.entry("s", "0x" + "0".repeat(63) + "1"),
                        Map.entry("v", 27));
        assertThat(List.copyOf(sig.wire().keySet())).containsExactly("r", "s", "v");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> action(String json) throws Exception {
        return JSON.readValue(json, LinkedHashMap.class);
    }

    private static String rsv(HyperliquidSigner.Signature sig) {
        return String.format("%064x%064x%02x", sig.r(), sig.s(), sig.v());
    }
}
