"""Open compressed tar archives (the xz and zstd openers of a TarFile subclass)."""
import tarfile


class CompressedTarFile(tarfile.TarFile):
    @classmethod
    def xzopen(cls, name, mode="r", fileobj=None, preset=None, **kwargs):
        import lzma

        fileobj = lzma.LZMAFile(fileobj or name, mode, preset=preset)
        try:
            t = cls.taropen(name, mode, fileobj, **kwargs)
        except (lzma.LZMAError, EOFError) as e:
            fileobj.close()
            if mode == "r":
                raise tarfile.ReadError("not an lzma file") from e
            raise
        except:
            fileobj.close()
            raise
        t._extfileobj = False
        return t

    @classmethod
    def zstopen(cls, name, mode="r", fileobj=None, level=None, options=None, zstd_dict=None, **kwargs):
        from compression.zstd import ZstdError, ZstdFile

        fileobj = ZstdFile(fileobj or name, mode, level=level, options=options, zstd_dict=zstd_dict)  # leak
        try:
            t = cls.taropen(name, mode, fileobj, **kwargs)
        except (ZstdError, EOFError) as e:
            fileobj.close()
            if mode == "r":
                raise tarfile.ReadError("not a zstd file") from e
            raise
        except Exception:
            fileobj.close()
            raise
        t._extfileobj = False
        return t
